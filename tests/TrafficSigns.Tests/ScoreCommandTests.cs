namespace TrafficSigns.Tests;

[TestClass]
public sealed class ScoreCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// Issue 29, item 2: score refuses every image it cannot decode — not an image, empty, or cut short (ML.NET's own
    /// decoder would score the half it has) — naming each, and scores nothing; --skip-unreadable scores the others and
    /// lists the ones left out. (Before issue 29 the message told a CLI user to "set SkipUnreadableImages".)
    /// </summary>
    [TestMethod]
    public void ScoreNamesTheFilesItCannotDecodeAndScoresNothingUnlessAskedToSkipThem()
    {
        using var run = new SampleProcess();
        var model = Directory.CreateDirectory(Path.Combine(run.Output, "model")).FullName;
        var (zip, _) = TinyModel.Train(model);
        var images = Directory.CreateDirectory(Path.Combine(run.Output, "to-score")).FullName;
        File.Copy(Path.Combine(model, "0.png"), Path.Combine(images, "good.png"));
        File.WriteAllText(Path.Combine(images, "broken.png"), "this is not a picture");
        var png = File.ReadAllBytes(Path.Combine(model, "1.png"));
        File.WriteAllBytes(Path.Combine(images, "cut.png"), png[..(png.Length / 2)]);
        File.WriteAllBytes(Path.Combine(images, "empty.jpg"), []);

        var (code, log) = run.Run("score", "--model", zip, "--images", images);
        TestContext.WriteLine(log);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "--images: 3 image file(s) could not be decoded, so nothing was scored:");
        StringAssert.Contains(log, $"Image file '{Path.Combine(images, "broken.png")}' could not be decoded: its 21 bytes are not a PNG, JPEG, BMP, GIF or WebP image");
        StringAssert.Contains(log, $"Image file '{Path.Combine(images, "cut.png")}' could not be decoded: it is truncated");
        StringAssert.Contains(log, $"Image file '{Path.Combine(images, "empty.jpg")}' could not be decoded: it is empty");
        StringAssert.Contains(log, "or add --skip-unreadable to score the others");
        Assert.IsFalse(File.Exists(Path.Combine(run.Output, "scores.csv")), "nothing was scored");

        (code, log) = run.Run("score", "--model", zip, "--images", images, "--skip-unreadable");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "Skipped 3 image file(s) that could not be decoded (--skip-unreadable)");
        var rows = File.ReadAllLines(Path.Combine(run.Output, "scores.csv"));
        Assert.HasCount(2, rows, "header and the good image");
        StringAssert.StartsWith(rows[1], "\"good.png\",");

        // Label folders: the same, through the library's loader.
        var labelled = Path.Combine(run.Output, "labelled");
        Directory.CreateDirectory(Path.Combine(labelled, "stop"));
        Directory.CreateDirectory(Path.Combine(labelled, "yield"));
        File.Copy(Path.Combine(model, "0.png"), Path.Combine(labelled, "stop", "0.png"));
        File.Copy(Path.Combine(model, "1.png"), Path.Combine(labelled, "yield", "1.png"));
        File.WriteAllBytes(Path.Combine(labelled, "yield", "cut.png"), png[..(png.Length / 2)]);
        (code, log) = run.Run("score", "--model", zip, "--images", labelled);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"Image file '{Path.Combine(labelled, "yield", "cut.png")}' could not be decoded: it is truncated");
        Assert.IsFalse(log.Contains("SkipUnreadableImages", StringComparison.Ordinal), "no API option named to a CLI user");
        (code, log) = run.Run("score", "--model", zip, "--images", labelled, "--skip-unreadable");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, " of 2), macro accuracy");
        StringAssert.Contains(log, "(replaced the earlier run's scores.csv)");
        Assert.HasCount(3, File.ReadAllLines(run.File("scores.csv")));
        run.File("scores-confusion-matrix.md");
    }

    /// <summary>Issue 29, item 4: the sweep's model.zip damaged inside its ONNX entry (the zip's CRC left as it was) loaded and scored differently.</summary>
    [TestMethod]
    public void ScoreAndExportRefuseADamagedModelNamingTheFileAndTheEntry()
    {
        using var run = new SampleProcess();
        var model = Directory.CreateDirectory(Path.Combine(run.Output, "model")).FullName;
        var (zip, _) = TinyModel.Train(model);
        var bytes = File.ReadAllBytes(zip);
        var (entry, start, length) = ZipEntryData(bytes, "OnnxModel");
        bytes[start + length / 2] ^= 0x10;
        var damaged = Path.Combine(run.Output, "damaged.zip");
        File.WriteAllBytes(damaged, bytes);

        var (code, log) = run.Run("score", "--model", damaged, "--images", model);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"--model: Model file '{damaged}' is damaged: zip entry '{entry}': ");
        Assert.IsFalse(File.Exists(Path.Combine(run.Output, "scores.csv")), "nothing was scored");
        (code, log) = run.Run("export", "--model", damaged);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"--model: Model file '{damaged}' is damaged: zip entry '{entry}': ");
        Assert.IsFalse(File.Exists(Path.Combine(run.Output, "model.onnx")), "nothing was exported");
    }

    /// <summary>Where the stored bytes of the zip entry named <paramref name="name"/> are in the raw file (its local header's sizes).</summary>
    private static (string FullName, int Start, int Length) ZipEntryData(byte[] zip, string name)
    {
        for (int at = 0; at + 30 <= zip.Length; at++)
        {
            if (BitConverter.ToUInt32(zip, at) != 0x04034b50)
                continue;
            int compressed = BitConverter.ToInt32(zip, at + 18);
            int nameLength = BitConverter.ToUInt16(zip, at + 26), extraLength = BitConverter.ToUInt16(zip, at + 28);
            var fullName = System.Text.Encoding.UTF8.GetString(zip, at + 30, nameLength);
            if (fullName.EndsWith(name, StringComparison.Ordinal))
                return (fullName, at + 30 + nameLength + extraLength, compressed);
        }
        throw new InvalidDataException($"no entry '{name}'");
    }
}
