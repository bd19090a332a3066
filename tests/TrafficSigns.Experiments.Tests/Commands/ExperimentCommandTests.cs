using TrafficSigns.Experiments.Tests.Support;
using Microsoft.ML.Data;

namespace TrafficSigns.Experiments.Tests.Commands;

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
        using var run = new ExperimentsProcess();
        var (code, log) = run.Run("table", "--data", ExperimentsProcess.BuiltInData, "--tracks", "3", "--epochs", "1", "--downsampling", "4,8",
            "--rows", "Baseline,IC-STN-Bilinear,IC-STN-Linearized");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        var markdown = File.ReadAllText(run.File("table.md"));
        TestContext.WriteLine(markdown);
        StringAssert.Contains(markdown, "## Ours, perturbed test tracks");
        StringAssert.Contains(markdown, "## Ours, unperturbed test tracks");
        foreach (var row in new[] { "| Baseline |", "| IC-STN-Bilinear |", "| IC-STN-Linearized |" })
        {
            var lines = markdown.Split('\n').Where(l => l.StartsWith(row, StringComparison.Ordinal)).ToList();
            Assert.AreEqual(row == "| Baseline |" ? 3 : 4, lines.Count(l => !l.Contains("× |")), $"{row}: ours perturbed, ours unperturbed, (the zoom of a transformer,) the paper's");
            Assert.AreEqual(2, lines.Count(l => l.Contains("× |")), $"{row}: one per-network line per factor");
        }
        StringAssert.Contains(markdown, "4× (8×8)");
        StringAssert.Contains(markdown, "8× (4×4)");
        // The claim, cell by cell: IC-STN at 4× and 8×, for each test protocol.
        Assert.AreEqual(4, markdown.Split('\n').Count(l => l.StartsWith("- IC-STN ", StringComparison.Ordinal) && l.Contains("Linearized") && l.Contains("vs Bilinear")));
        var csv = File.ReadAllLines(run.File("table.csv"));
        Assert.HasCount(1 + 3 * 2, csv, "a header and one line per network");
        StringAssert.StartsWith(csv[0], "network,architecture,sampler,downsampling,seed,perturbed_test_error,test_error,");
    }

    [TestMethod]
    public void TableUnderTheIcStnProtocolNamesItAndMeasuresTheZoom()
    {
        using var run = new ExperimentsProcess();
        var (code, log) = run.Run("table", "--protocol", "icstn", "--recipe", "sgd", "--data", OfficialLayoutSubset.Root, "--tracks", "3", "--epochs", "1",
            "--downsampling", "4,8", "--rows", "Baseline,STN-Linearized");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "protocol icstn, recipe sgd");
        var markdown = File.ReadAllText(run.File("table.md"));
        TestContext.WriteLine(markdown);
        StringAssert.Contains(markdown, "# GTSRB test error (%) by downsampling — protocol icstn, recipe sgd");
        StringAssert.Contains(markdown, "the canonical frame the central 36×36");
        StringAssert.Contains(markdown, "plain SGD (no momentum)");
        // The built-in subset is 32×32 copies: the report says they were upsampled, not original sizes.
        StringAssert.Contains(markdown, "images: 32×32 image files (copies pre-resized from GTSRB's original sizes), upsampled to 50×50");
        // The classifier sees ⌈36/f⌉ pixels a side, with the paper's parameter counts (61k at 4×, 19k at 8×).
        StringAssert.Contains(markdown, "4× (9×9)");
        StringAssert.Contains(markdown, "8× (5×5)");
        StringAssert.Contains(markdown, "| *classifier parameters* | 60,927 | 19,387 |");
        var zoom = markdown.Split('\n').Single(l => l.StartsWith("| STN-Linearized | ", StringComparison.Ordinal) && l.Contains("(± ", StringComparison.Ordinal));
        StringAssert.Matches(zoom, new System.Text.RegularExpressions.Regex(@"\| \d\.\d{3} \(± \d\.\d{3}\) \| \d\.\d{3} \(± \d\.\d{3}\) \|$"));
        var csv = File.ReadAllLines(run.File("table.csv"));
        StringAssert.Contains(csv[0], ",frame_area_mean,frame_area_std,");

        (code, log) = run.Run("table", "--protocol", "paper");
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "--protocol: unknown protocol 'paper'; expected whole-image");
    }

    [TestMethod]
    public void AlignWritesTheRecallTableAndChart()
    {
        using var run = new ExperimentsProcess();
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
        using var run = new ExperimentsProcess();
        var (code, log) = run.Run("rectify", "--data", ExperimentsProcess.BuiltInData, "--tracks", "3", "--epochs", "1");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        AssertPng(run.File("rectify.png"));
        StringAssert.Contains(File.ReadAllText(run.File("rectify.md")), "Linearized");

        (code, log) = run.Run("rectify", "--protocol", "icstn", "--data", OfficialLayoutSubset.Root, "--tracks", "3", "--epochs", "1", "--downsampling", "4");
        Assert.AreEqual(0, code, log);
        var markdown = File.ReadAllText(run.File("rectify.md"));
        StringAssert.Contains(markdown, "icstn protocol");
        StringAssert.Contains(markdown, "test images (50×50");
        using var grid = MLImage.CreateFromFile(run.File("rectify.png"));
        Assert.AreEqual(3 * (96 + 4), grid.Height, "three rows of cells: inputs, Bilinear STN, Linearized STN");
    }
}
