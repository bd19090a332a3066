using MlLinearized.TestSupport;
using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

/// <summary>
/// GTSRB's Kaggle layout (Train.csv, Train/&lt;class&gt;/CCCCC_TTTTT_FFFFF.png, Test.csv, Test/NNNNN.png, signnames.csv) read
/// by the same readers as the official layout, on the same generated images written in both layouts.
/// </summary>
[TestClass]
public sealed class GtsrbKaggleReaderTests
{
    private static readonly string[] SignNames = ["Zero sign", "One, with a comma", "Two"];

    private static (IReadOnlyList<GeneratedSign> Training, IReadOnlyList<GeneratedSign> Test) Generated() =>
        (GeneratedGtsrb.Training(classes: 3, tracks: 3, frames: 2, seed: 1), GeneratedGtsrb.Test(count: 5, classes: 3, seed: 2));

    private static object Ids(GtsrbSample s) => (s.ClassId, s.TrackId, s.FrameId, s.OriginalWidth, s.OriginalHeight, s.Roi);

    [TestMethod]
    public void ReadsTheSameTrainingSamplesAsTheOfficialLayout()
    {
        var (training, _) = Generated();
        using var official = new TempDirectory();
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteOfficial(official.Path, training);
        GeneratedGtsrb.WriteKaggle(kaggle.Path, training.Reverse().ToList(), signNames: SignNames);

        var fromOfficial = GtsrbReader.ReadTraining(official.Path);
        var fromKaggle = GtsrbReader.ReadTraining(kaggle.Path);

        Assert.HasCount(18, fromKaggle);
        CollectionAssert.AreEqual(fromOfficial.Select(Ids).ToList(), fromKaggle.Select(Ids).ToList(), "class, track, frame, size and ROI, sorted the same way");
        Assert.AreEqual((1, 2, 1), (fromKaggle[11].ClassId, fromKaggle[11].TrackId, fromKaggle[11].FrameId));
        Assert.AreEqual(Path.Combine(kaggle.Path, "Train", "1", "00001_00002_00001.png"), fromKaggle[11].ImagePath);
        Assert.AreEqual("One, with a comma", fromKaggle[11].ClassName, "class names from signnames.csv");
        Assert.IsNull(fromOfficial[11].ClassName, "the official layout has no class names; GtsrbClasses gives them");
        Assert.AreEqual(9, fromKaggle.Select(s => (s.ClassId, s.TrackId)).Distinct().Count(), "tracks recognised from the file names");
    }

    [TestMethod]
    public void DecodesThePngFilesToTheSamePixelsAsThePpmFiles()
    {
        var (training, _) = Generated();
        using var official = new TempDirectory();
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteOfficial(official.Path, training);
        GeneratedGtsrb.WriteKaggle(kaggle.Path, training);
        var fromOfficial = GtsrbReader.ReadTraining(official.Path);
        var fromKaggle = GtsrbReader.ReadTraining(kaggle.Path);
        using var scope = NewDisposeScope();

        var ppm = GtsrbTensors.ToImageTensor(fromOfficial, 50, 50, out var ppmSizes);
        var png = GtsrbTensors.ToImageTensor(fromKaggle, 50, 50, out var pngSizes);

        Assert.IsTrue(ppm.eq(png).all().item<bool>(), "the same bytes through PPM and PNG, resized once to 50×50 the same way");
        CollectionAssert.AreEqual(ppmSizes, pngSizes);
        var sign = training.Single(s => (s.ClassId, s.TrackId, s.FrameId) == (2, 1, 0));
        int index = fromKaggle.ToList().FindIndex(s => (s.ClassId, s.TrackId, s.FrameId) == (2, 1, 0));
        Assert.AreEqual((sign.Width, sign.Height), pngSizes[index], "the size of the file as decoded");
        var decoded = GtsrbImageFile.Read(fromKaggle[index].ImagePath);
        CollectionAssert.AreEqual(sign.Rgb, decoded.Rgb, "PNG decoded to the RGB bytes written");
    }

    [TestMethod]
    public void TheTestCsvIsTheOfficialTestSet()
    {
        var (training, test) = Generated();
        using var official = new TempDirectory();
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteOfficial(official.Path, training, test);
        GeneratedGtsrb.WriteKaggle(kaggle.Path, training, test.Reverse().ToList());

        Assert.IsTrue(GtsrbTestReader.Exists(kaggle.Path));
        var fromOfficial = GtsrbTestReader.Read(official.Path);
        var fromKaggle = GtsrbTestReader.Read(kaggle.Path);

        CollectionAssert.AreEqual(fromOfficial.Select(Ids).ToList(), fromKaggle.Select(Ids).ToList(), "sorted by image number, tracks NoTrack");
        Assert.AreEqual(Path.Combine(kaggle.Path, "Test", "00003.png"), fromKaggle[3].ImagePath);
        Assert.IsTrue(fromKaggle.All(s => s.TrackId == GtsrbSample.NoTrack));
    }

    [TestMethod]
    public void KeepsTheFirstTracksOfEachClass()
    {
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteKaggle(kaggle.Path, Generated().Training);

        var subset = GtsrbReader.ReadTraining(kaggle.Path, maxTracksPerClass: 2);

        Assert.HasCount(3 * 2 * 2, subset);
        CollectionAssert.AreEquivalent(new[] { 0, 1 }, subset.Select(s => s.TrackId).Distinct().ToArray());
    }

    [TestMethod]
    [DataRow("/code/")]
    [DataRow("")]
    [DataRow("./")]
    [DataRow("C:\\Users\\me\\Downloads\\gtsrb\\")]
    [DataRow("/kaggle/input/gtsrb-german-traffic-sign/")]
    public void AnyPrefixOfTheCsvPathsIsDropped(string prefix)
    {
        var (training, test) = Generated();
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteKaggle(kaggle.Path, training, test, pathPrefix: prefix);

        var samples = GtsrbReader.ReadTraining(kaggle.Path);
        var tests = GtsrbTestReader.Read(kaggle.Path);

        Assert.HasCount(18, samples);
        Assert.HasCount(5, tests);
        Assert.IsTrue(samples.Concat(tests).All(s => File.Exists(s.ImagePath) && s.ImagePath.StartsWith(kaggle.Path, StringComparison.Ordinal)));
    }

    [TestMethod]
    public void WithoutTestCsvThereIsNoOfficialTestSet()
    {
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteKaggle(kaggle.Path, Generated().Training);
        kaggle.Write("Test/00000.png", File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(kaggle.Path, "Train", "0")).First()));

        Assert.IsFalse(GtsrbTestReader.Exists(kaggle.Path), "test images without Test.csv have no labels");
        Assert.IsNull(GtsrbKaggleReader.ReadClassNames(kaggle.Path), "no signnames.csv");
    }

    [TestMethod]
    public void AClassIdThatDiffersFromTheFileNameIsRejectedWithItsLine()
    {
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteKaggle(kaggle.Path, Generated().Training);
        var lines = File.ReadAllLines(Path.Combine(kaggle.Path, "Train.csv"));
        lines[3] = lines[3].Replace(",0,/code/", ",2,/code/", StringComparison.Ordinal);
        File.WriteAllLines(Path.Combine(kaggle.Path, "Train.csv"), lines);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbReader.ReadTraining(kaggle.Path));

        StringAssert.Contains(e.Message, "Train.csv', line 4");
        StringAssert.Contains(e.Message, "ClassId 2 differs from the class 00000");
    }

    [TestMethod]
    public void AMissingImageIsNamed()
    {
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteKaggle(kaggle.Path, Generated().Training);
        string missing = Path.Combine(kaggle.Path, "Train", "1", "00001_00000_00001.png");
        File.Delete(missing);

        var e = Assert.ThrowsExactly<FileNotFoundException>(() => GtsrbReader.ReadTraining(kaggle.Path));

        StringAssert.Contains(e.Message, missing);
        StringAssert.Contains(e.Message, "/code/Train/1/00001_00000_00001.png");
    }

    [TestMethod]
    public void MalformedCsvsSayWhatIsWrong()
    {
        var (training, test) = Generated();
        using var kaggle = new TempDirectory();
        GeneratedGtsrb.WriteKaggle(kaggle.Path, training, test);
        string testCsv = Path.Combine(kaggle.Path, "Test.csv");
        var lines = File.ReadAllLines(testCsv).ToList();
        lines.Add(lines[1]);
        File.WriteAllLines(testCsv, lines);
        var twice = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbTestReader.Read(kaggle.Path));
        StringAssert.Contains(twice.Message, "names test image 00000 twice");

        File.WriteAllText(testCsv, "Width,Height,ClassId,Path\n30,30,1,/code/Test/00000.png\n");
        var columns = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbTestReader.Read(kaggle.Path));
        StringAssert.Contains(columns.Message, "has no column 'Roi.X1'");

        kaggle.Write("signnames.csv", "Id;Name\n0;Zero\n");
        var names = Assert.ThrowsExactly<InvalidDataException>(() => GtsrbReader.ReadTraining(kaggle.Path));
        StringAssert.Contains(names.Message, "should have the header ClassId,SignName");
    }

    [TestMethod]
    public void AFolderOfNeitherLayoutNamesBoth()
    {
        using var temp = new TempDirectory();
        temp.Write("Train/0/readme.txt", "no Train.csv");

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => GtsrbReader.ReadTraining(temp.Path));

        StringAssert.Contains(e.Message, "Final_Training");
        StringAssert.Contains(e.Message, "Kaggle layout");
        StringAssert.Contains(e.Message, "Train.csv");
    }
}
