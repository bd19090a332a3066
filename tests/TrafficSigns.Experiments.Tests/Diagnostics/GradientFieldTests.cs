using Ml.Transforms.Devices;
using MlLinearized.TestSupport;
using TrafficSigns.Experiments.Diagnostics;
using Ml.Transforms.Imaging;
using Ml.Transforms.Sampling;
using TrafficSigns.Experiments.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Tests.Diagnostics;

[TestClass]
public sealed class GradientFieldTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly int[] OutputSizes = { 16, 32, 64 };

    [TestMethod]
    [DataRow("chelsea.png")]
    [DataRow("coffee.png")]
    public void LinearizedPointsBackToTheIdentityFarMoreOftenThanBilinear(string photo)
    {
        using var image = ImageTensors.Load(TestData.Photo(photo));
        int linearized = 0, bilinear = 0;
        var perSize = new List<string>();
        foreach (int size in OutputSizes)
        {
            var lin = GradientField.Measure(image, size, SamplingMode.Linearized, new SamplerOptions { Generator = new Generator(0) });
            var bil = GradientField.Measure(image, size, SamplingMode.Bilinear);
            Assert.AreEqual(100, lin.Total);
            linearized += lin.CorrectCount;
            bilinear += bil.CorrectCount;
            perSize.Add($"{size}: linearized {lin.CorrectCount}, bilinear {bil.CorrectCount}");
        }
        TestContext.WriteLine($"{photo} correct/100 at out " + string.Join("; ", perSize));
        Assert.IsGreaterThanOrEqualTo(230, linearized, $"{photo}: linearized {linearized}/300 ({string.Join("; ", perSize)})");
        Assert.IsGreaterThanOrEqualTo(bilinear + 30, linearized, $"{photo}: linearized {linearized} vs bilinear {bilinear}");
    }

    [TestMethod]
    public void BilinearFieldOfASmoothBlobPointsBackEverywhereAtFullResolution()
    {
        // A wide Gaussian blob sampled at the image's own resolution: bilinear's gradient is the true one, so every
        // translation's gradient points away from the identity (descent brings it back). An analytic expectation.
        var xs = linspace(-1, 1, 64);
        // exp(-(x² + y²) / 0.5), with its scalars kept alive across the calls (TorchSharp's temporary-Scalar race).
        using var one = 1.ToScalar();
        using var half = 0.5.ToScalar();
        var blob = exp(xs.unsqueeze(0).square().add(xs.unsqueeze(1).square(), one).neg().div(half)).unsqueeze(0).unsqueeze(0);
        var field = GradientField.Measure(blob, 64, SamplingMode.Bilinear, gridSize: 6, extent: 0.5);
        Assert.AreEqual(36, field.Total);
        Assert.AreEqual(36, field.CorrectCount);
    }

    [TestMethod]
    public void CellsAreRowMajorOverTyThenTx()
    {
        var field = GradientField.Measure(SeededImages.Random(1, 1, 20, 20, ScalarType.Float32, 61), 8, SamplingMode.Bilinear, gridSize: 3);
        CollectionAssert.AreEqual(new[] { -1.0, 0, 1, -1, 0, 1, -1, 0, 1 }, field.TranslationX.Select(v => Math.Round(v, 6)).ToArray());
        CollectionAssert.AreEqual(new[] { -1.0, -1, -1, 0, 0, 0, 1, 1, 1 }, field.TranslationY.Select(v => Math.Round(v, 6)).ToArray());
    }

    [TestMethod]
    public void CorrectMeansWithinNinetyDegreesOfTheTranslation()
    {
        var field = new GradientFieldResult(SamplingMode.Bilinear, 8,
            new[] { 1.0, 1.0, -1.0, 0.5 }, new[] { 0.0, 1.0, 0.0, 0.5 },
            new[] { 0.1, -1.0, 0.3, 0.2 }, new[] { 5.0, 0.5, 0.0, -0.1 });
        Assert.IsTrue(field.IsCorrect(0));
        Assert.IsFalse(field.IsCorrect(1));
        Assert.IsFalse(field.IsCorrect(2));
        Assert.IsTrue(field.IsCorrect(3));
        Assert.AreEqual(2, field.CorrectCount);
    }

    [TestMethod]
    public void RejectsABatchOfImages() =>
        Assert.ThrowsExactly<ArgumentException>(() => GradientField.Measure(zeros(2, 3, 8, 8), 8, SamplingMode.Bilinear));
}
