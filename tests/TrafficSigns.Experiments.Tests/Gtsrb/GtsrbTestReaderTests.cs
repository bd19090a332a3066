using System.Text;
using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

/// <summary>The official test set on tiny synthetic folders in its published layout (no real data needed).</summary>
[TestClass]
public sealed class GtsrbTestReaderTests
{
    private const string Header = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\r\n";
    private const string Images = "GTSRB/Final_Test/Images";

    /// <summary>
    /// The two archives unpacked into one folder, as torchvision does: the images archive gives
    /// GTSRB/Final_Test/Images/NNNNN.ppm and GT-final_test.test.csv (no ClassId), the GT archive GT-final_test.csv.
    /// </summary>
    private static void WriteOfficialLayout(TempDirectory temp, string labelFolder = "")
    {
        temp.Write($"{Images}/00000.ppm", Ppm.P6(3, 2, Ppm.Solid(3, 2, 200, 10, 10)));
        temp.Write($"{Images}/00001.ppm", Ppm.P6(4, 5, Ppm.Solid(4, 5, 10, 200, 10)));
        temp.Write($"{Images}/00002.ppm", Ppm.P6(2, 2, Ppm.Solid(2, 2, 10, 10, 200)));
        temp.Write($"{Images}/GT-final_test.test.csv",
            "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2\r\n00000.ppm;53;54;6;5;48;49\r\n00001.ppm;42;45;5;5;36;40\r\n00002.ppm;48;52;6;6;43;47\r\n");
        // Rows out of order, so sorting is observable.
        temp.Write(Path.Combine(labelFolder, "GT-final_test.csv"),
            Header + "00001.ppm;42;45;5;5;36;40;1\r\n00000.ppm;53;54;6;5;48;49;16\r\n00002.ppm;48;52;6;6;43;47;38\r\n");
    }

    [TestMethod]
    public void ReadsTheImagesWithTheClassIdsOfTheGroundTruthFile()
    {
        using var temp = new TempDirectory();
        WriteOfficialLayout(temp);

        var samples = GtsrbTestReader.Read(temp.Path);

        Assert.HasCount(3, samples);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, samples.Select(s => s.FrameId).ToArray(), "sorted by image number");
        CollectionAssert.AreEqual(new[] { 16, 1, 38 }, samples.Select(s => s.ClassId).ToArray());
        Assert.IsTrue(samples.All(s => s.TrackId == GtsrbSample.NoTrack), "test images have no track");
        Assert.AreEqual(-1, GtsrbSample.NoTrack);
        Assert.AreEqual(Path.Combine(temp.Path, "GTSRB", "Final_Test", "Images", "00001.ppm"), samples[1].ImagePath);
        Assert.AreEqual((42, 45), (samples[1].OriginalWidth, samples[1].OriginalHeight));
        Assert.AreEqual(new GtsrbRoi(5, 5, 36, 40), samples[1].Roi);
        var image = PpmImage.Read(samples[1].ImagePath);
        Assert.AreEqual((4, 5, (byte)10, (byte)200), (image.Width, image.Height, image.Rgb[0], image.Rgb[1]));
        Assert.IsTrue(GtsrbTestReader.Exists(temp.Path));
    }

    [TestMethod]
    public void AcceptsEachRootDownToTheImagesFolder()
    {
        using var temp = new TempDirectory();
        WriteOfficialLayout(temp, labelFolder: Images);
        var expected = GtsrbTestReader.Read(temp.Path).ToList();

        foreach (var root in new[] { "GTSRB", "GTSRB/Final_Test", Images })
            CollectionAssert.AreEqual(expected, GtsrbTestReader.Read(Path.Combine(temp.Path, root)).ToList(), root);
    }

    [TestMethod]
    public void TheLabelFileIsNotLookedForAboveTheRootGiven()
    {
        using var temp = new TempDirectory();
        WriteOfficialLayout(temp);
        string images = Path.Combine(temp.Path, Images);

        Assert.IsFalse(GtsrbTestReader.Exists(images));
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => GtsrbTestReader.Read(images));
        StringAssert.Contains(e.Message, "GT-final_test.test.csv beside them has no class ids");
        StringAssert.Contains(e.Message, "GTSRB_Final_Test_GT.zip");
    }

    [TestMethod]
    public void WithoutTheGroundTruthArchiveItSaysWhichArchiveHoldsTheLabels()
    {
        using var temp = new TempDirectory();
        WriteOfficialLayout(temp);
        File.Delete(Path.Combine(temp.Path, "GT-final_test.csv"));

        Assert.IsFalse(GtsrbTestReader.Exists(temp.Path));
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => GtsrbTestReader.Read(temp.Path));
        StringAssert.Contains(e.Message, "No GT-final_test.csv");
        StringAssert.Contains(e.Message, "unpack GTSRB_Final_Test_GT.zip");
    }

    [TestMethod]
    public void AFolderWithoutTestImagesIsNamed()
    {
        using var temp = new TempDirectory();
        temp.Write("GT-final_test.csv", Header);

        Assert.IsFalse(GtsrbTestReader.Exists(temp.Path));
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => GtsrbTestReader.Read(temp.Path));
        StringAssert.Contains(e.Message, temp.Path);
        StringAssert.Contains(e.Message, "Final_Test/Images/NNNNN.ppm");
    }

    [TestMethod]
    public void AByteOrderMarkAndSpacesAroundFieldsAreIgnored()
    {
        using var temp = new TempDirectory();
        WriteOfficialLayout(temp);
        var bom = Encoding.UTF8.GetPreamble();
        temp.Write("GT-final_test.csv", bom.Concat(Encoding.ASCII.GetBytes(Header + "00002.ppm; 48;52;6;6;43;47; 38\r\n")).ToArray());

        var sample = GtsrbTestReader.Read(temp.Path).Single();

        Assert.AreEqual((2, 38, 48), (sample.FrameId, sample.ClassId, sample.OriginalWidth));
    }

    [TestMethod]
    [DataRow("00007.ppm;42;45;5;5;36;40;1", typeof(FileNotFoundException), "names '00007.ppm', which is not in")]
    [DataRow("00001.ppm;42;45;5;5;36;40;1\r\n00001.ppm;42;45;5;5;36;40;1", typeof(InvalidDataException), "names image 00001 twice")]
    [DataRow("00000_00001.ppm;42;45;5;5;36;40;1", typeof(InvalidDataException), "line 2: image name '00000_00001.ppm' does not have the form NNNNN.ppm")]
    [DataRow("00001.ppm;42;45;5;5;36;40;-3", typeof(InvalidDataException), "line 2: ClassId -3 is negative")]
    [DataRow("00001.ppm;42;45;5;5;36;40", typeof(InvalidDataException), "line 2: has 7 fields, the header has 8")]
    [DataRow("", typeof(InvalidDataException), "has a header but no rows")]
    public void MalformedGroundTruthIsRejectedWithTheFileAndProblem(string rows, Type exception, string expected)
    {
        using var temp = new TempDirectory();
        WriteOfficialLayout(temp);
        temp.Write("GT-final_test.csv", Header + rows + "\r\n");

        var e = Assert.Throws<Exception>(() => GtsrbTestReader.Read(temp.Path));

        Assert.AreEqual(exception, e.GetType(), e.Message);
        StringAssert.Contains(e.Message, expected);
        StringAssert.Contains(e.Message, "GT-final_test.csv");
    }
}
