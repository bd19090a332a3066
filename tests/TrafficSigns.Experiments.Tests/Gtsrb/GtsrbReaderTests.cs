using MlLinearized.TestSupport;
using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

[TestClass]
public sealed class GtsrbReaderTests
{
    private const string Header = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\r\n";

    private static IReadOnlyList<GtsrbSample> All => OfficialLayoutSubset.All;

    [TestMethod]
    public void ReadsTheWholeOfficialLayoutSubset()
    {
        // The built-in subset's training part in the official layout: 1,046 tracks × 2 frames.
        Assert.HasCount(OfficialLayoutSubset.Images, All);
        Assert.HasCount(OfficialLayoutSubset.Tracks, All.Select(s => (s.ClassId, s.TrackId)).Distinct());
        CollectionAssert.AreEqual(Enumerable.Range(0, 43).ToArray(), All.Select(s => s.ClassId).Distinct().ToArray());
    }

    [TestMethod]
    public void SortsByClassTrackAndFrame()
    {
        for (int i = 1; i < All.Count; i++)
        {
            var (a, b) = (All[i - 1], All[i]);
            Assert.IsLessThan(0, (a.ClassId, a.TrackId, a.FrameId).CompareTo((b.ClassId, b.TrackId, b.FrameId)), $"samples {i - 1} and {i}");
        }
    }

    [TestMethod]
    public void ParsesTrackAndFrameFromTheFileName()
    {
        foreach (var s in All)
            Assert.AreEqual($"{s.TrackId:D5}_{s.FrameId:D5}.ppm", Path.GetFileName(s.ImagePath));
        var first = All[0];
        Assert.AreEqual((0, 0, 7), (first.ClassId, first.TrackId, first.FrameId));
        Assert.IsGreaterThan(1, All.Where(s => s.ClassId == 0).Select(s => s.TrackId).Distinct().Count());
    }

    [TestMethod]
    public void SamplesOfTheStopFolderAreClass14WithTheCsvAnnotations()
    {
        var stop = All.Where(s => Path.GetFileName(Path.GetDirectoryName(s.ImagePath)) == "00014").ToList();

        Assert.IsNotEmpty(stop);
        Assert.IsTrue(stop.All(s => s.ClassId == 14));
        Assert.AreEqual(stop.Count, All.Count(s => s.ClassId == 14));
        // First row of GT-00014.csv: 00000_00007.ppm;54;54;5;5;49;49;14 (sizes of the original crop).
        var first = stop[0];
        Assert.AreEqual(Path.Combine(OfficialLayoutSubset.ClassFolder(14), "00000_00007.ppm"), first.ImagePath);
        Assert.AreEqual((54, 54), (first.OriginalWidth, first.OriginalHeight));
        Assert.AreEqual(new GtsrbRoi(5, 5, 49, 49), first.Roi);
        Assert.IsTrue(File.Exists(first.ImagePath));
    }

    [TestMethod]
    public void AcceptsTheThreeRoots()
    {
        string root = OfficialLayoutSubset.Root;
        var fromRoot = GtsrbReader.ReadTraining(root, maxTracksPerClass: 1);
        var fromFinalTraining = GtsrbReader.ReadTraining(Path.Combine(root, "Final_Training"), maxTracksPerClass: 1);
        var fromImages = GtsrbReader.ReadTraining(Path.Combine(root, "Final_Training", "Images"), maxTracksPerClass: 1);

        CollectionAssert.AreEqual(fromRoot.ToList(), fromFinalTraining.ToList());
        CollectionAssert.AreEqual(fromRoot.ToList(), fromImages.ToList());
    }

    [TestMethod]
    public void KeepsTheFirstTracksOfEachClass()
    {
        var subset = GtsrbReader.ReadTraining(OfficialLayoutSubset.Root, maxTracksPerClass: 2);

        foreach (var group in All.GroupBy(s => s.ClassId))
        {
            var firstTwo = group.Select(s => s.TrackId).Distinct().Order().Take(2).ToHashSet();
            var expected = group.Where(s => firstTwo.Contains(s.TrackId)).ToList();
            CollectionAssert.AreEqual(expected, subset.Where(s => s.ClassId == group.Key).ToList(), $"class {group.Key}");
        }
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GtsrbReader.ReadTraining(OfficialLayoutSubset.Root, maxTracksPerClass: 0));
    }

    [TestMethod]
    public void MissingRootSaysWhichLayoutWasExpected()
    {
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => GtsrbReader.ReadTraining("/nonexistent/gtsrb"));

        StringAssert.Contains(e.Message, "/nonexistent/gtsrb");
        StringAssert.Contains(e.Message, "Final_Training/Images");
    }

    [TestMethod]
    public void FolderWithoutClassFoldersSaysWhichLayoutWasExpected()
    {
        using var temp = new TempDirectory();
        temp.Write("Final_Training/readme.txt", "nothing here");

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => GtsrbReader.ReadTraining(temp.Path));

        StringAssert.Contains(e.Message, "no class folders 000NN");
        StringAssert.Contains(e.Message, "Expected the folder holding Final_Training");
    }

    [TestMethod]
    public void ReadsASmallSyntheticLayout()
    {
        using var temp = new TempDirectory();
        temp.Write("Final_Training/Images/00001/GT-00001.csv", Header + "00003_00001.ppm;30;31;1;2;28;29;1\r\n00000_00002.ppm;40;41;3;4;36;37;1\r\n\r\n");
        temp.Write("Final_Training/Images/00000/GT-00000.csv", "Filename;ClassId;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2\n00007_00000.ppm;0;20;21;1;1;18;19\n");

        var samples = GtsrbReader.ReadTraining(temp.Path);

        Assert.HasCount(3, samples);
        Assert.AreEqual((0, 7, 0), (samples[0].ClassId, samples[0].TrackId, samples[0].FrameId));
        Assert.AreEqual((20, 21), (samples[0].OriginalWidth, samples[0].OriginalHeight));
        Assert.AreEqual((1, 0, 2), (samples[1].ClassId, samples[1].TrackId, samples[1].FrameId));
        Assert.AreEqual((1, 3, 1), (samples[2].ClassId, samples[2].TrackId, samples[2].FrameId));
        Assert.AreEqual(new GtsrbRoi(1, 2, 28, 29), samples[2].Roi);
        Assert.AreEqual(Path.Combine(temp.Path, "Final_Training", "Images", "00001", "00003_00001.ppm"), samples[2].ImagePath);
    }

    [TestMethod]
    public void BadImageNameIsNamedWithItsFileAndLine()
    {
        using var temp = new TempDirectory();
        temp.Write("Images/00002/GT-00002.csv", Header + "00000_00000.ppm;30;30;1;1;28;28;2\r\nsign.ppm;30;30;1;1;28;28;2\r\n");

        var e = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbReader.ReadTraining(temp.Path));

        StringAssert.Contains(e.Message, "GT-00002.csv");
        StringAssert.Contains(e.Message, "line 3");
        StringAssert.Contains(e.Message, "'sign.ppm' does not have the form TTTTT_FFFFF.ppm");
    }

    [TestMethod]
    [DataRow("00000_00000.ppm;30;30;1;1;28;28;5", "ClassId 5 differs from the class folder 00002")]
    [DataRow("00000_00000.ppm;30;30;1;1;28;28", "has 7 fields, the header has 8")]
    [DataRow("00000_00000.ppm;wide;30;1;1;28;28;2", "Width 'wide' is not an integer")]
    public void MalformedRowsAreRejected(string row, string expected)
    {
        using var temp = new TempDirectory();
        temp.Write("00002/GT-00002.csv", Header + row + "\r\n");

        var e = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbReader.ReadTraining(temp.Path));

        StringAssert.Contains(e.Message, "GT-00002.csv', line 2");
        StringAssert.Contains(e.Message, expected);
    }

    [TestMethod]
    public void MissingAnnotationFileOrColumnIsNamed()
    {
        using var temp = new TempDirectory();
        temp.Write("00004/00000_00000.ppm", Ppm.P6(1, 1, new byte[3]));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbReader.ReadTraining(temp.Path));
        StringAssert.Contains(e.Message, "has no annotation file 'GT-00004.csv'");

        temp.Write("00004/GT-00004.csv", "Filename;Width;Height\r\n");
        e = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbReader.ReadTraining(temp.Path));
        StringAssert.Contains(e.Message, "has no column 'Roi.X1'");
    }

    [TestMethod]
    public void AcceptsTheFolderWhereTheOfficialArchiveWasUnpacked()
    {
        // GTSRB_Final_Training_Images.zip unpacks to GTSRB/Final_Training/Images/000NN.
        using var temp = new TempDirectory();
        temp.Write("GTSRB/Final_Training/Images/00003/GT-00003.csv", Header + "00001_00002.ppm;30;31;1;2;28;29;3\r\n");

        var sample = GtsrbReader.ReadTraining(temp.Path).Single();

        Assert.AreEqual((3, 1, 2), (sample.ClassId, sample.TrackId, sample.FrameId));
        Assert.AreEqual(Path.Combine(temp.Path, "GTSRB", "Final_Training", "Images", "00003", "00001_00002.ppm"), sample.ImagePath);
    }
}
