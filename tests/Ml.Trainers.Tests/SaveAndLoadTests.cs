using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests;

[TestClass]
public sealed class SaveAndLoadTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AModelSavedHereScoresBitForBitTheSameInAFreshProcessWithoutLibtorch()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromTextFile<StnImageClassificationTrainerTests.ImageRow>(GtsrbPngSet.TrainTsv, separatorChar: '\t', hasHeader: true);
        var pipeline = ml.Transforms.LoadImages("Image", GtsrbPngSet.Folder, "ImagePath")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
            {
                Transformer = { Downsampling = 4 },
                Training = { Epochs = 1, BatchSize = 50, Device = ComputeDevice.Cpu },
            }));
        var model = pipeline.Fit(train);
        var zip = Path.Combine(temp.Path, "model.zip");
        ml.Model.Save(model, train.Schema, zip);

        // Rows to score, with absolute image paths (the host runs in another working directory).
        var rows = File.ReadAllLines(GtsrbPngSet.ValidationTsv).Skip(1).Take(40).ToList();
        var tsv = temp.Write("rows.tsv", string.Join('\n', ["ImagePath\tLabel", .. rows]));
        var expected = new List<string>();
        var data = ml.Data.LoadFromTextFile<StnImageClassificationTrainerTests.ImageRow>(tsv, separatorChar: '\t', hasHeader: true);
        var scored = model.Transform(data);
        var scores = scored.GetColumn<float[]>("Score").ToList();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
        for (int i = 0; i < scores.Count; i++)
            expected.Add(string.Join('\t', ["transform", i.ToString(System.Globalization.CultureInfo.InvariantCulture), keys[i].ToString(System.Globalization.CultureInfo.InvariantCulture), .. scores[i].Select(s => BitConverter.SingleToInt32Bits(s).ToString("x8", System.Globalization.CultureInfo.InvariantCulture))]));

        var output = Path.Combine(temp.Path, "scores.tsv");
        var (exitCode, log) = ScoringHostProcess.Run(GtsrbPngSet.Folder, zip, tsv, output);
        TestContext.WriteLine(log);
        Assert.AreEqual(0, exitCode, log);
        var lines = File.ReadAllLines(output);
        CollectionAssert.AreEqual(expected, lines.Where(l => l.StartsWith("transform", StringComparison.Ordinal)).ToList(), "Transform in the fresh process");
        CollectionAssert.AreEqual(expected.Select(l => "engine" + l["transform".Length..]).ToList(),
            lines.Where(l => l.StartsWith("engine", StringComparison.Ordinal)).ToList(), "PredictionEngine in the fresh process");
        Assert.AreEqual("libtorch-loaded\tFalse", lines[^1]);

        // The zip embeds the ONNX bytes and names no temporary file.
        using var archive = ZipFile.OpenRead(zip);
        var tempPath = Encoding.UTF8.GetBytes(Path.GetTempPath().TrimEnd('/'));
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Assert.AreEqual(-1, buffer.ToArray().AsSpan().IndexOf(tempPath), $"{entry.FullName} names a temp path");
        }
        Assert.IsTrue(archive.Entries.Any(e => e.Length > 10_000), "the ONNX graph is stored in the zip");
    }
}
