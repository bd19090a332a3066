using System.Text.RegularExpressions;
using TrafficSigns.Tests.Data;

namespace TrafficSigns.Tests;

/// <summary>The train command on data that has the official test set: it evaluates on it, and validates on held-out tracks.</summary>
[TestClass]
public sealed class TrainOnOfficialTestSetTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void WithTheOfficialTestSetTheRunIsTestedOnIt()
    {
        using var run = new SampleProcess();
        string data = Path.Combine(run.Output, "gtsrb");
        new OfficialLayoutArchives().UnpackInto(data);

        // --offline, --cache and a closed --download-url are accepted, and unused: --data comes first.
        var (code, log) = run.Run("train", "--data", data, "--epochs", "1", "--offline", "--cache", Path.Combine(run.Output, "download-cache"),
            "--download-url", LoopbackHttpServer.ClosedPortUrl().ToString());
        TestContext.WriteLine(log);
        log = Regex.Replace(log, @"\s+", " ");  // the console wraps lines at 80 columns when redirected

        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, $"Using the folder given with --data ('{data}'): training set and official test set.");
        // 2 classes × 2 tracks: one track per class held out for validation; the 4 official test images for test.
        StringAssert.Contains(log, "train 4, validation 4, test 4 (official GTSRB test set; whole tracks per side)");
        StringAssert.Contains(log, "on 4 images (official GTSRB test set)");
        StringAssert.Contains(File.ReadAllText(run.File("summary.md")), "- Test (official GTSRB test set): micro accuracy");
        StringAssert.Contains(log, "test_00003.png");
        Assert.IsFalse(Directory.Exists(Path.Combine(run.Output, "download-cache")), "nothing downloaded");
    }
}
