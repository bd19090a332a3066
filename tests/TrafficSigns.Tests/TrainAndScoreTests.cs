using Microsoft.ML;
using Microsoft.ML.Data;

namespace TrafficSigns.Tests;

[TestClass]
public sealed class TrainAndScoreTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void TheDefaultRunWritesEveryPromisedFileAndTheModelScoresInAnotherProcess()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("train", "--epochs", "1");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "Data: the built-in GTSRB subset");
        StringAssert.Contains(log, "43 labels; train 1874, validation 218, test 522 (held-out tracks, Test.csv;");
        StringAssert.Contains(log, "Test: micro accuracy");
        StringAssert.Contains(log, "Numerics self-check on cpu");
        foreach (var png in new[] { "training-curves.png", "rectified.png" })
        {
            using var image = MLImage.CreateFromFile(run.File(png));
            Assert.IsGreaterThan(100, image.Width, png);
        }
        var confusion = File.ReadAllLines(run.File("confusion-matrix.md")).Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| #", StringComparison.Ordinal)).ToList();
        Assert.HasCount(43, confusion, "one row per class");
        StringAssert.Contains(File.ReadAllText(run.File("summary.md")), "micro accuracy");
        var ml = new MLContext().RegisterStnComponents();
        ml.Model.Load(run.File("model.zip"), out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("ImagePath"));

        // score: a folder of PNGs (test images of the built-in subset) → scores.csv, one row per image.
        var images = Directory.CreateDirectory(Path.Combine(run.Output, "to-score")).FullName;
        foreach (var png in Directory.EnumerateFiles(Path.Combine(SampleProcess.BuiltInData, "Test"), "*.png").Order(StringComparer.Ordinal).Take(5))
            File.Copy(png, Path.Combine(images, Path.GetFileName(png)));
        (code, log) = run.Run("score", "--model", run.File("model.zip"), "--images", images);
        Assert.AreEqual(0, code, log);
        var rows = File.ReadAllLines(run.File("scores.csv"));
        Assert.AreEqual("file,predicted label,confidence", rows[0]);
        Assert.HasCount(6, rows);
    }

    [TestMethod]
    public void AHugeLearningRateStopsWithTheDivergenceMessageAndNoModel()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("train", "--data", SampleProcess.BuiltInData, "--epochs", "2", "--learning-rate", "1000");
        TestContext.WriteLine(log);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "Training diverged in epoch 1, batch");
        StringAssert.Contains(log, "LearningRate 1000");
        Assert.IsFalse(File.Exists(Path.Combine(run.Output, "model.zip")), "no model is saved from a diverged run");
    }

    [TestMethod]
    public void BadOptionsGiveUsageAndExitCode2()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("train", "--data", "/nonexistent/gtsrb");
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "/nonexistent/gtsrb");
        (code, log) = run.Run("no-such-command");
        Assert.AreEqual(2, code);
        StringAssert.Contains(log, "Unknown command");
    }
}
