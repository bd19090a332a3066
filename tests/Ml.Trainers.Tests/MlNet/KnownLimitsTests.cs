using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers.Tests.Export;
using Ml.Trainers.Tests.Support;
using Ml.Transforms.Imaging;

namespace Ml.Trainers.Tests.MlNet;

/// <summary>
/// The sweep's cases that ML.NET owns (issue 29, items 6 and 9; docs/known-limits.md): what ML.NET does, measured, and
/// the library call that catches it at the app's boundary.
/// </summary>
[TestClass]
public sealed class KnownLimitsTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed class Input
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
    }

    [TestMethod]
    public void APredictionEngineOnRandomOrZeroBytesNamesNoFileSoTheAppDecodesFirst()
    {
        using var tiny = new TinyImageModel();
        using var temp = new TempDirectory();
        var random = new byte[500];
        new Random(4).NextBytes(random);
        var noise = temp.Write("noise.png", random);
        var empty = temp.Write("empty.jpg", []);
        var ml = new MLContext(0).RegisterStnComponents();
        var model = ml.Model.Load(tiny.ZipPath, out _);
        var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
        foreach (var file in new[] { noise, empty })
        {
            // ML.NET's own message names neither the file nor the row.
            var e = Assert.ThrowsExactly<ArgumentException>(() => engine.Predict(new Input { ImagePath = file }));
            StringAssert.Contains(e.Message, "Invalid input stream contents");
            Assert.IsFalse(e.Message.Contains(Path.GetFileName(file), StringComparison.Ordinal));
            // The boundary check names it.
            StringAssert.StartsWith(Assert.ThrowsExactly<InvalidDataException>(() => ImageFiles.Decode(file)).Message, $"Image file '{file}' could not be decoded: ");
        }
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ImageFiles.Decode(random, "upload.png")).Message, "Image file 'upload.png' could not be decoded: its 500 bytes are not a PNG");
        using var good = ImageFiles.Decode(Path.Combine(tiny.Folder, "00.png"));
        Assert.AreEqual((20, 18), (good.Width, good.Height));
    }

    /// <summary>
    /// One PredictionEngine shared between threads can kill the process (ML.NET's rule, documented); the documented way —
    /// one engine per thread — scores concurrently with the same scores, in a child process so that a crash fails this test
    /// instead of the test run.
    /// </summary>
    [TestMethod]
    public void OneEnginePerThreadScoresConcurrentlyWithTheSameScores()
    {
        using var tiny = new TinyImageModel();
        var rows = File.ReadAllLines(tiny.Tsv).Skip(1).Select(l => Path.Combine(tiny.Folder, l.Split('\t')[0]) + "\t" + l.Split('\t')[1]);
        var tsv = Path.Combine(tiny.Folder, "absolute.tsv");
        File.WriteAllLines(tsv, ["ImagePath\tLabel", .. rows]);
        var (exitCode, log) = ScoringHostProcess.Run(tiny.Folder, "threads", tiny.ZipPath, tsv, "4", "5");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, exitCode, log);
        StringAssert.Contains(log, "scored 240 rows on 4 threads, one engine each; mismatches: 0");
    }
}
