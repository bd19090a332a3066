using MlLinearized.TestSupport;
using TrafficSigns.Data;

namespace TrafficSigns.Tests;

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
            var source = DataSourceResolver.Resolve(new DataSourceOptions { DataFolder = root, SharedFolder = null }, new NoDisplay(), CancellationToken.None);

            Assert.AreEqual((DataSourceKind.DataOption, root, root), (source.Kind, source.TrainingRoot, source.OfficialTestRoot));
            StringAssert.Contains(source.Message, "(Kaggle layout): training set and official test set");

            var samples = TrafficSignData.Read(root, tracksPerClass: 0);
            var images = TrafficSignData.AsPng(samples, Path.Combine(root, "cache"));
            Assert.HasCount(18, images);
            CollectionAssert.AreEqual(samples.Select(s => s.ImagePath).ToList(), images.Select(i => i.ImagePath).ToList(), "PNG files are used where they are");
            Assert.IsFalse(Directory.EnumerateFileSystemEntries(Path.Combine(root, "cache")).Any(), "nothing converted");
            CollectionAssert.AreEqual(new[] { "Alpha sign", "Beta sign", "Gamma sign" }, images.Select(i => i.Label).Distinct().ToArray(), "labels from signnames.csv");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void TableAndRectifyUnderTheIcStnProtocolResizeTheOriginalSizesOnce()
    {
        using var run = new SampleProcess();
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

    private sealed class NoDisplay : IDownloadDisplay
    {
        public T Show<T>(Func<Action<DownloadProgress>, T> download) => throw new AssertFailedException("no download expected");
    }
}
