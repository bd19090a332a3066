using System.Globalization;
using Microsoft.ML.Data;
using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

/// <summary>kaggle-subset: the official layout (PPM) written as the Kaggle layout (PNG), as data/gtsrb-subset was made.</summary>
[TestClass]
public sealed class GtsrbKaggleSubsetTests
{
    public TestContext TestContext { get; set; } = null!;

    private static byte[] Rgb(string png)
    {
        using var image = MLImage.CreateFromFile(png);
        var pixels = image.Pixels;
        var (r, b) = image.PixelFormat == MLPixelFormat.Bgra32 ? (2, 0) : (0, 2);
        var rgb = new byte[image.Width * image.Height * 3];
        for (int i = 0; i < image.Width * image.Height; i++)
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (pixels[4 * i + r], pixels[4 * i + 1], pixels[4 * i + b]);
        return rgb;
    }

    [TestMethod]
    public void WritesTrainAndAHeldOutTestOfWholeTracksWithThePixelsAndAnnotations()
    {
        using var temp = new TempDirectory();
        string output = Path.Combine(temp.Path, "kaggle");
        var all = OfficialLayoutSubset.All;

        var written = GtsrbKaggleSubset.Write(OfficialLayoutSubset.Root, output, frames: null, testFraction: 0.2, seed: 0);

        var (train, test) = TrackSplit.Split(all, 0.2, seed: 0);
        Assert.AreEqual((train.Count, test.Count, OfficialLayoutSubset.Tracks), (written.Train, written.Test, written.Tracks));
        var trainCsv = File.ReadAllLines(Path.Combine(output, "Train.csv"));
        var testCsv = File.ReadAllLines(Path.Combine(output, "Test.csv"));
        Assert.AreEqual("Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path", trainCsv[0]);
        Assert.AreEqual(trainCsv[0], testCsv[0]);
        Assert.HasCount(1 + train.Count, trainCsv);
        Assert.HasCount(1 + test.Count, testCsv);
        // Training images: Train/<class>/CCCCC_TTTTT_FFFFF.png with the official annotation and the PPM's pixels.
        for (int i = 0; i < train.Count; i++)
        {
            var s = train[i];
            string path = $"Train/{s.ClassId}/{s.ClassId:D5}_{s.TrackId:D5}_{s.FrameId:D5}.png";
            Assert.AreEqual(string.Create(CultureInfo.InvariantCulture,
                $"{s.OriginalWidth},{s.OriginalHeight},{s.Roi.X1},{s.Roi.Y1},{s.Roi.X2},{s.Roi.Y2},{s.ClassId},{path}"), trainCsv[1 + i]);
            if (i % 97 == 0)
                CollectionAssert.AreEqual(PpmImage.Read(s.ImagePath).Rgb, Rgb(Path.Combine(output, path)), path);
        }
        // Test images: the held-out tracks, whole, numbered in order.
        var trainTracks = train.Select(s => (s.ClassId, s.TrackId)).ToHashSet();
        Assert.IsFalse(test.Any(s => trainTracks.Contains((s.ClassId, s.TrackId))), "no track on both sides");
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 43).ToArray(), test.Select(s => s.ClassId).Distinct().ToArray(), "every class has held-out tracks");
        for (int i = 0; i < test.Count; i += 53)
        {
            StringAssert.EndsWith(testCsv[1 + i], string.Create(CultureInfo.InvariantCulture, $",{test[i].ClassId},Test/{i:D5}.png"));
            CollectionAssert.AreEqual(PpmImage.Read(test[i].ImagePath).Rgb, Rgb(Path.Combine(output, "Test", $"{i:D5}.png")));
        }
        Assert.HasCount(test.Count, Directory.GetFiles(Path.Combine(output, "Test")));
        var names = File.ReadAllLines(Path.Combine(output, "signnames.csv"));
        Assert.AreEqual("ClassId,SignName", names[0]);
        Assert.HasCount(44, names);
        Assert.AreEqual("14,Stop", names[15]);
        Assert.IsEmpty(Directory.GetDirectories(temp.Path, ".*"), "no temporary folder is left");
    }

    [TestMethod]
    public void TheCommandKeepsTheFramesAskedForAndNeverWritesIntoAnExistingFolder()
    {
        using var run = new ExperimentsProcess();
        string output = Path.Combine(run.Output, "frame-7");

        var (code, log) = run.Run("kaggle-subset", "--data", OfficialLayoutSubset.Root, "--output", output, "--frames", "7", "--test-fraction", "0.5");

        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, $"frames 7 of {OfficialLayoutSubset.Tracks} tracks");
        var files = Directory.GetFiles(Path.Combine(output, "Train"), "*.png", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(output, "Test"))).ToList();
        Assert.HasCount(OfficialLayoutSubset.Tracks, files, "one frame per track");
        Assert.IsTrue(Directory.GetFiles(Path.Combine(output, "Train"), "*.png", SearchOption.AllDirectories).All(f => f.EndsWith("_00007.png", StringComparison.Ordinal)));

        File.WriteAllText(Path.Combine(output, "Train.csv"), "kept");
        (code, log) = run.Run("kaggle-subset", "--data", OfficialLayoutSubset.Root, "--output", output);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"--output: '{output}' exists already; give a new folder (nothing was overwritten).");
        Assert.AreEqual("kept", File.ReadAllText(Path.Combine(output, "Train.csv")));
    }
}
