using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests.MlNet;

/// <summary>
/// <see cref="StnImageClassificationOptions.InitialWeightsPath"/>: weights from SaveWeights continue training; a file that
/// cannot be loaded is named with what is wrong with it (before: TorchSharp's bare "Mismatched state_dict sizes").
/// </summary>
[TestClass]
public sealed class InitialWeightsTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed class PixelRow
    {
        [VectorType(3 * 32 * 32)] public float[] Image { get; set; } = [];
        public string Label { get; set; } = "";
    }

    private static IDataView Data(MLContext ml)
    {
        var random = new Random(0);
        var rows = Enumerable.Range(0, 20).Select(i => new PixelRow
        {
            Image = Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    private static StnImageClassificationOptions Options(string? weights = null) => new()
    {
        InitialWeightsPath = weights,
        Transformer = { Downsampling = 4 },
        Training = { Epochs = 1, BatchSize = 10, Device = ComputeDevice.Cpu },
    };

    private InvalidOperationException LoadFails(string path)
    {
        var ml = new MLContext(0);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(Options(path)).Fit(Data(ml)));
        TestContext.WriteLine(e.Message);
        return e;
    }

    [TestMethod]
    public void SavedWeightsAreWhereTrainingContinuesFrom()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(0);
        var data = Data(ml);
        var first = ml.MulticlassClassification.Trainers.StnImageClassification(Options());
        first.Fit(data);
        var path = Path.Combine(temp.Path, "weights.bin");
        first.SaveWeights(path);
        var again = ml.MulticlassClassification.Trainers.StnImageClassification(Options());
        again.Fit(data);
        var continued = ml.MulticlassClassification.Trainers.StnImageClassification(Options(path));
        continued.Fit(data);
        string name = "classifier.fc.weight";
        var a = first.TrainedNetwork!.state_dict()[name];
        Assert.IsTrue(a.eq(again.TrainedNetwork!.state_dict()[name]).all().item<bool>(), "same seed, same start: same weights");
        Assert.IsFalse(a.eq(continued.TrainedNetwork!.state_dict()[name]).all().item<bool>(), "the continued run started from the saved weights");
    }

    [TestMethod]
    public void WeightsOfAnotherNetworkNameTheFileAndWhatThisNetworkIs()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "five-classes.bin");
        using (var other = new SpatialClassifier(new SpatialClassifierOptions { ClassCount = 5, Transformer = new SpatialTransformerOptions { Downsampling = 4 } }))
            other.save(path);
        var e = LoadFails(path);
        StringAssert.Contains(e.Message, $"InitialWeightsPath '{path}'");
        StringAssert.Contains(e.Message, "the weights of another network");
        StringAssert.Contains(e.Message, "classifier.fc.weight is [5, ");
        StringAssert.Contains(e.Message, "2 classes");

        var baseline = Path.Combine(temp.Path, "baseline.bin");
        using (var other = new SpatialClassifier(new SpatialClassifierOptions { Architecture = SpatialArchitecture.None, ClassCount = 2 }))
            other.save(baseline);
        e = LoadFails(baseline);
        StringAssert.Contains(e.Message, "the weights of another network");
        StringAssert.Contains(e.Message, "the file has no transformer.predictor.trunk.conv1.weight");
        StringAssert.Contains(e.Message, "InverseCompositionalStn");
    }

    [TestMethod]
    public void ACorruptTruncatedEmptyOrZipFileSaysWhatItIs()
    {
        using var temp = new TempDirectory();
        var random = new byte[5000];
        new Random(1).NextBytes(random);
        StringAssert.Contains(LoadFails(temp.Write("random.bin", random)).Message, "not TorchSharp weights, or is damaged");

        var whole = Path.Combine(temp.Path, "whole.bin");
        using (var same = new SpatialClassifier(new SpatialClassifierOptions { ClassCount = 2, Transformer = new SpatialTransformerOptions { Downsampling = 4 } }))
            same.save(whole);
        var bytes = File.ReadAllBytes(whole);
        StringAssert.Contains(LoadFails(temp.Write("cut.bin", bytes[..(bytes.Length / 2)])).Message, "ends early");

        StringAssert.Contains(LoadFails(temp.Write("empty.bin", [])).Message, "the file is empty");
        var zip = LoadFails(temp.Write("model.zip", [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0])).Message;
        StringAssert.Contains(zip, "zip archive");
        StringAssert.Contains(zip, "SaveWeights");
    }
}
