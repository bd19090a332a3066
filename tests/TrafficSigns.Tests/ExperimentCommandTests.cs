using Microsoft.ML.Data;

namespace TrafficSigns.Tests;

/// <summary>The experiment commands with tiny settings: they run end to end and write every file they promise.</summary>
[TestClass]
public sealed class ExperimentCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private static void AssertPng(string path)
    {
        using var image = MLImage.CreateFromFile(path);
        Assert.IsGreaterThan(10, image.Width, path);
    }

    [TestMethod]
    public void TableWritesTheRowsAndColumnsAsked()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("table", "--data", SampleProcess.BuiltInData, "--tracks", "3", "--epochs", "1", "--downsampling", "4,8",
            "--rows", "Baseline,IC-STN-Linearized");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        var markdown = File.ReadAllText(run.File("table.md"));
        StringAssert.Contains(markdown, "Baseline");
        StringAssert.Contains(markdown, "IC-STN");
        StringAssert.Contains(markdown, "4×");
        StringAssert.Contains(markdown, "8×");
        Assert.IsGreaterThan(2, File.ReadAllLines(run.File("table.csv")).Length);
    }

    [TestMethod]
    public void AlignWritesTheRecallTableAndChart()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("align", "--trials", "2", "--steps", "10", "--downsampling", "1,8", "--strengths", "0.1");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(File.ReadAllText(run.File("align.md")), "Linearized");
        Assert.IsGreaterThan(3, File.ReadAllLines(run.File("align.csv")).Length);
        foreach (var png in Directory.EnumerateFiles(run.Output, "align*.png"))
            AssertPng(png);
        Assert.IsTrue(Directory.EnumerateFiles(run.Output, "align*.png").Any(), "a recall chart");
    }

    [TestMethod]
    public void RectifyWritesTheComparisonFigure()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("rectify", "--data", SampleProcess.BuiltInData, "--tracks", "3", "--epochs", "1");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        AssertPng(run.File("rectify.png"));
        StringAssert.Contains(File.ReadAllText(run.File("rectify.md")), "Linearized");
    }
}
