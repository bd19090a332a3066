using MlLinearized.TestSupport;
using TrafficSigns.Experiments.Download;
using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Commands;

/// <summary>
/// GTSRB in the Kaggle layout (Train.csv, Train/&lt;class&gt;/*.png at original sizes, Test.csv, Test/*.png), generated
/// by the test: --data finds it, its Test.csv is the official test set, and the icstn protocol resizes each original
/// image once to 50×50 and says so.
/// </summary>
[TestClass]
public sealed class KaggleLayoutTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>3 classes × 3 tracks × 2 frames for training, 6 test images, 20–79 px a side, with signnames.csv.</summary>
    private static string WriteKaggle(string root)
    {
        GeneratedGtsrb.WriteKaggle(root, GeneratedGtsrb.Training(classes: 3, tracks: 3, frames: 2, seed: 3),
            GeneratedGtsrb.Test(count: 6, classes: 3, seed: 4), signNames: ["Alpha sign", "Beta sign", "Gamma sign"]);
        return root;
    }

    [TestMethod]
    public void TheDataOptionFindsTheKaggleLayoutWithItsOfficialTestSet()
    {
        string root = WriteKaggle(Path.Combine(Path.GetTempPath(), "kaggle-layout-" + Guid.NewGuid().ToString("N")));
        try
        {
            var source = DataSourceResolver.Resolve(new DataSourceOptions { DataFolder = root, SharedFolder = null });

            Assert.AreEqual((DataSourceKind.DataOption, root, true), (source.Kind, source.Root, source.HasOfficialTestSet));
            StringAssert.Contains(source.Message, "(Kaggle layout), with the official test set");

            var samples = GtsrbReader.ReadTraining(root);
            Assert.HasCount(18, samples);
            Assert.IsTrue(samples.All(s => s.ImagePath.EndsWith(".png", StringComparison.Ordinal) && File.Exists(s.ImagePath)), "the PNG files where they are");
            CollectionAssert.AreEqual(new[] { "Alpha sign", "Beta sign", "Gamma sign" }, samples.Select(s => s.ClassName).Distinct().ToArray(), "names from signnames.csv");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void TableAndRectifyUnderTheIcStnProtocolResizeTheOriginalSizesOnce()
    {
        using var run = new ExperimentsProcess();
        string data = WriteKaggle(Path.Combine(run.Output, "kaggle"));

        var (code, log) = run.Run("table", "--protocol", "icstn", "--data", data, "--epochs", "1", "--downsampling", "8", "--rows", "STN-Bilinear");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        var markdown = File.ReadAllText(run.File("table.md"));
        StringAssert.Contains(markdown, "18 images, 3 classes");
        StringAssert.Contains(markdown, "test 6 (the official GTSRB test set");
        StringAssert.Contains(markdown, "images: GTSRB at its original sizes (");
        StringAssert.Contains(markdown, "each image resized once to 50×50");
        StringAssert.Contains(markdown, "PIL's resize(BILINEAR)");

        (code, log) = run.Run("rectify", "--protocol", "icstn", "--data", data, "--epochs", "1", "--downsampling", "8");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "each image resized once to 50×50");
        StringAssert.Contains(File.ReadAllText(run.File("rectify.md")), "images: GTSRB at its original sizes (");
    }
}
