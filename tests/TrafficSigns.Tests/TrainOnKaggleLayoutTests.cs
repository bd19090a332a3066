using System.Text.RegularExpressions;
using MlLinearized.TestSupport;

namespace TrafficSigns.Tests;

/// <summary>
/// The train command on GTSRB as Kaggle ships it (--data): Train/&lt;classId&gt;/CCCCC_TTTTT_FFFFF.png, Test/ with
/// Test.csv (paths prefixed with the folder Kaggle made them in), signnames.csv. It validates on whole tracks and tests
/// on Test.csv's images, with the sign names as labels.
/// </summary>
[TestClass]
public sealed class TrainOnKaggleLayoutTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>2 classes × 2 tracks × 2 frames for training, 4 test images, 20–79 px a side (as Kaggle's originals vary), Kaggle's /code/ paths.</summary>
    private static string Write(string root, bool signNames = true, string? testCsv = null)
    {
        GeneratedGtsrb.WriteKaggle(root, GeneratedGtsrb.Training(classes: 2, tracks: 2, frames: 2, seed: 5), GeneratedGtsrb.Test(count: 4, classes: 2, seed: 6),
            signNames: signNames ? ["Stop", "No entry"] : null);
        if (testCsv is not null)
            File.WriteAllText(Path.Combine(root, "Test.csv"), testCsv);
        return root;
    }

    [TestMethod]
    public void TrainsOnKaggleLayoutValidatesOnWholeTracksAndTestsOnTestCsv()
    {
        using var run = new SampleProcess();
        string data = Write(Path.Combine(run.Output, "gtsrb-kaggle"));

        var (code, log) = run.Run("train", "--data", data, "--epochs", "1", "--downsampling", "4");
        TestContext.WriteLine(log);
        log = Regex.Replace(log, @"\s+", " ");

        Assert.AreEqual(0, code, log);
        // 2 classes × 2 tracks: one track per class for validation (10 % of 2 tracks, at least one), the 4 images of Test.csv for test.
        StringAssert.Contains(log, "2 labels; train 4, validation 4, test 4 (Test.csv; validation: 10% of each sign's tracks (whole tracks), seed 0)");
        StringAssert.Contains(log, "on 4 images (Test.csv)");
        StringAssert.Contains(log, "00003.png");
        var confusion = File.ReadAllText(run.File("confusion-matrix.md"));
        StringAssert.Contains(confusion, "| Stop |");
        StringAssert.Contains(confusion, "| No entry |");
        StringAssert.Contains(File.ReadAllText(run.File("summary.md")), "- Test (Test.csv): micro accuracy");
    }

    [TestMethod]
    public void WithoutSignNamesTheLabelsAreTheClassIds()
    {
        using var run = new SampleProcess();
        string data = Write(Path.Combine(run.Output, "gtsrb-kaggle"), signNames: false);

        var (code, log) = run.Run("train", "--data", data, "--epochs", "1", "--downsampling", "4");

        Assert.AreEqual(0, code, log);
        StringAssert.Contains(Regex.Replace(log, @"\s+", " "), "no signnames.csv, so the labels are class ids");
        StringAssert.Contains(File.ReadAllText(run.File("confusion-matrix.md")), "| 0 | 0 |");
    }

    [TestMethod]
    public void FoldersThatAreNotTheKaggleLayoutAreRefusedByNameBeforeAnythingIsWritten()
    {
        using var run = new SampleProcess();
        string official = Path.Combine(run.Output, "official");
        Directory.CreateDirectory(Path.Combine(official, "Final_Training", "Images", "00000"));
        var output = Path.Combine(run.Output, "refused");

        var (code, log) = run.Run("train", "--data", official, "--output", output);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"--data: '{official}' is not GTSRB in the Kaggle layout");
        StringAssert.Contains(log, "samples/TrafficSigns.Experiments");
        Assert.IsFalse(Directory.Exists(output));

        string unknownClass = Write(Path.Combine(run.Output, "unknown-class"),
            testCsv: "Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path\n24,24,2,2,21,21,0,Test/00000.png\n24,24,2,2,21,21,3,Test/00001.png\n");
        (code, log) = run.Run("train", "--data", unknownClass, "--output", output);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "Test.csv has class(es) with no training images in Train/: 3.");

        string missing = Write(Path.Combine(run.Output, "missing-image"),
            testCsv: "Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path\n24,24,2,2,21,21,0,Test/00009.png\n");
        (code, log) = run.Run("train", "--data", missing, "--output", output);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "1 image(s) named in");
        StringAssert.Contains(log, "are not in Test/");
        Assert.IsFalse(Directory.Exists(output));
    }
}
