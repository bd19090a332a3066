using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Ml.Trainers;
using Ml.Transforms.Devices;

namespace TrafficSigns.Tests;

[TestClass]
public sealed class ExportCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ExportWritesTheGraphMlNetScoresWithAndItsDescription()
    {
        using var run = new SampleProcess();
        var (zip, onnx) = TinyModel.Train(Directory.CreateDirectory(Path.Combine(run.Output, "model")).FullName);
        var (code, log) = run.Run("export", "--model", zip);
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);

        CollectionAssert.AreEqual(onnx, File.ReadAllBytes(run.File("model.onnx")), "model.onnx is the graph embedded in the zip");
        using var json = JsonDocument.Parse(File.ReadAllText(run.File("model.json")));
        var root = json.RootElement;
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(onnx)).ToLowerInvariant(), root.GetProperty("sha256").GetString());
        Assert.AreEqual("StnPixels", root.GetProperty("input").GetProperty("name").GetString());
        Assert.AreEqual("N,768", string.Join(",", root.GetProperty("input").GetProperty("shape").EnumerateArray().Select(e => e.GetString())));
        Assert.AreEqual("stop,yield", string.Join(",", root.GetProperty("classLabels").EnumerateArray().Select(e => e.GetString())));
        Assert.AreEqual(1.0 / 255, root.GetProperty("pixelScale").GetDouble(), 1e-9);
        var markdown = File.ReadAllText(run.File("model.md"));
        StringAssert.Contains(markdown, "`StnPixels`");
        StringAssert.Contains(markdown, "nearest neighbour");
        StringAssert.Contains(log, root.GetProperty("sha256").GetString()!);
        Assert.IsFalse(Directory.EnumerateFiles(run.Output, "*.tmp").Any(), "no temporary file is left");

        using var session = new InferenceSession(run.File("model.onnx"));
        Assert.AreEqual("StnPixels", session.InputNames.Single());
        CollectionAssert.AreEqual(root.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList(),
            session.OutputNames.ToList());
    }

    [TestMethod]
    public void ExportOfAZipWithoutAnStnClassifierSaysSoAndWritesNothing()
    {
        using var run = new SampleProcess();
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[] { new TinyModel.Row { Label = "a" } });
        var zip = Path.Combine(run.Output, "plain.zip");
        ml.Model.Save(ml.Transforms.Conversion.MapValueToKey("Label").Fit(data), data.Schema, zip);

        var (code, log) = run.Run("export", "--model", zip);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "no STN classifier graph");
        Assert.IsFalse(File.Exists(Path.Combine(run.Output, "model.onnx")));
        (code, log) = run.Run("export");
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "--model");
    }
}
