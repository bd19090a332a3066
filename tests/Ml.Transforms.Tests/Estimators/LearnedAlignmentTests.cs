using Ml.Transforms.Devices;
using MlLinearized.TestSupport;
using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using Ml.Transforms.Training;
using Microsoft.ML;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

[TestClass]
public sealed class LearnedAlignmentTests
{
    public TestContext TestContext { get; set; } = null!;

    private static LearnedAlignmentOptions Options(AlignmentTarget target, SamplingMode sampler, string? reference) => new()
    {
        Target = target,
        ReferenceImagePath = reference,
        Transformer = { Sampler = sampler, ImageWidth = PerturbedCrops.Size, ImageHeight = PerturbedCrops.Size },
        Training = { BatchSize = 32, Device = Ml.Transforms.Devices.ComputeDevice.Cpu },
        WarpColumnName = "Warp",
    };

    [TestMethod]
    [DataRow(SamplingMode.Linearized)]
    [DataRow(SamplingMode.Bilinear)]
    public void AlignToReferenceHalvesTheCornerErrorOnAPhotograph(SamplingMode sampler)
    {
        using var temp = new TempFolder();
        // 256 views of chelsea.png's central half, each moved by a random similarity (σ = 0.1); 64 others to test.
        // Measured (10 epochs, defaults): Bilinear 2.62 -> 0.90 px, Linearized 2.62 -> 1.01 px; ≈ 10-30 s each.
        const WarpFamily family = WarpFamily.Similarity;
        using var train = new PerturbedCrops("chelsea.png", 256, 0.1, seed: 1, family);
        using var test = new PerturbedCrops("chelsea.png", 64, 0.1, seed: 2, family);
        var reference = Path.Combine(temp.Path, "reference.png");
        train.SaveReference(reference);
        var ml = new MLContext(0);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var options = Options(AlignmentTarget.Reference, sampler, reference);
        options.Transformer.Warp = family;
        var losses = new List<double>();
        var reports = new List<TrainingProgress>();
        options.Progress = p =>
        {
            reports.Add(p);
            if (p.CompletedEpoch is { } epoch)
                losses.Add(epoch.Loss);
        };
        var estimator = ml.Transforms.AlignImages("Aligned", "Pixels", options);
        var model = estimator.Fit(PixelData.From(ml, train.Rows));
        var warps = ml.Data.CreateEnumerable<WarpRow>(model.Transform(PixelData.From(ml, test.Rows)), false).Select(r => r.Warp).ToList();
        using var estimate = tensor(warps.SelectMany(w => w).ToArray(), [warps.Count, family.ParameterCount()]);
        using var identity = zeros(warps.Count, family.ParameterCount());
        double before = test.CornerError(identity), after = test.CornerError(estimate);
        TestContext.WriteLine("losses: " + string.Join(", ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        TestContext.WriteLine($"{sampler}: corner error {before:F2} -> {after:F2} px (32 px images, {sw.Elapsed.TotalSeconds:F0} s)");
        TestContext.WriteLine($"{sampler}: {estimator.Quality}");
        Assert.IsGreaterThan(0.9, estimator.Quality!.VisibleFraction, "a good alignment keeps the image in view");
        Assert.IsLessThan(0.5 * estimator.Quality.InitialLoss, estimator.Quality.FinalLoss);
        Assert.IsLessThan(0.5 * before, after);
        // The classifier's progress shape: one report per batch (256 rows / 32) and one per epoch, no accuracy (no labels).
        Assert.HasCount(options.Training.Epochs * (256 / 32 + 1), reports);
        Assert.HasCount(options.Training.Epochs, losses);
        Assert.IsTrue(reports.All(r => r.Accuracy is null && r.CompletedEpoch?.TrainingAccuracy is null && r.Epochs == options.Training.Epochs));
        Assert.IsTrue(reports.Where(r => r.CompletedEpoch is null).All(r => r.Batches == 256 / 32 && r.Batch >= 1 && r.Batch <= r.Batches));
    }

    [TestMethod]
    public void AlignToMeanMakesTheImagesAgree()
    {
        // Congealing: no reference. The spread of the images (per-pixel variance across rows, averaged) drops.
        using var data = new PerturbedCrops("chelsea.png", 256, 0.1, seed: 3, WarpFamily.Similarity);
        var ml = new MLContext(0);
        var options = Options(AlignmentTarget.Mean, SamplingMode.Linearized, null);
        options.Transformer.Warp = WarpFamily.Similarity;
        var rows = PixelData.From(ml, data.Rows);
        var estimator = ml.Transforms.AlignImages("Aligned", "Pixels", options);
        var scored = estimator.Fit(rows).Transform(rows);
        TestContext.WriteLine($"AlignToMean: {estimator.Quality}");
        var warps = ml.Data.CreateEnumerable<WarpRow>(scored, false).Select(r => r.Warp).ToList();
        using var estimate = tensor(warps.SelectMany(w => w).ToArray(), [warps.Count, 4]);
        // Row i shows the photo through crop·Q_i; aligned by M(est_i) it shows crop·G_i with G_i = Q_i·M(est_i).
        // Congealing is right when every G_i is the same warp (any common one) of a sensible size (|det| near 1).
        using var q = WarpComposition.Inverse(data.Truth, WarpFamily.Similarity);
        using var g = WarpComposition.Compose(q, estimate, WarpFamily.Similarity);
        using var identity = zeros(warps.Count, 4);
        using var corners = WarpFitting.CanonicalCorners().expand(warps.Count, 4, 2);
        double Spread(Tensor w) => WarpComposition.TransformPoints(w, corners, WarpFamily.Similarity).Times(16).std(0).mean().item<float>();
        double before = Spread(q), after = Spread(g);
        double scale = linalg.det(WarpMatrices.ToMatrix(g, WarpFamily.Similarity)[.., ..2, ..2]).abs().mean().item<float>();
        TestContext.WriteLine($"AlignToMean: corner spread {before:F2} -> {after:F2} px, common warp area ×{scale:F2}");
        Assert.IsLessThan(0.5 * before, after);
        Assert.IsTrue(scale is > 0.5 and < 2, $"the common warp keeps a sensible size (area ×{scale:F2})");
    }

    [TestMethod]
    public void TwoFitsWithTheSameOptionsGiveTheSameWarpsAndLeaveTheOptionsAsTheyWere()
    {
        // Linearized draws sampler noise from a generator seeded by options.Seed; Fit must not store it in the
        // caller's options (a second Fit would then draw other noise), and two Fits must give bit-identical warps.
        using var data = new PerturbedCrops("chelsea.png", 64, 0.1, seed: 4, WarpFamily.Similarity);
        var ml = new MLContext(0);
        var options = Options(AlignmentTarget.Mean, SamplingMode.Linearized, null);
        options.Transformer.Warp = WarpFamily.Similarity;
        options.Training.Epochs = 2;
        var rows = PixelData.From(ml, data.Rows);
        float[] Warps() => ml.Data.CreateEnumerable<WarpRow>(ml.Transforms.AlignImages("Aligned", "Pixels", options).Fit(rows).Transform(rows), false)
            .SelectMany(r => r.Warp).ToArray();
        var first = Warps();
        Assert.IsNull(options.Transformer.SamplerOptions.Generator, "Fit left no generator in the caller's sampler options");
        var second = Warps();
        CollectionAssert.AreEqual(first, second, "the same options give bit-identical warps");
        Assert.IsTrue(first.Any(v => v != 0), "the network learned a warp");

        // Disposing the estimator frees its TorchSharp network; the fitted model keeps scoring with its ONNX graph.
        var estimator = ml.Transforms.AlignImages("Aligned", "Pixels", options);
        var model = estimator.Fit(rows);
        estimator.Dispose();
        Assert.IsNull(estimator.TrainedNetwork);
        CollectionAssert.AreEqual(first, ml.Data.CreateEnumerable<WarpRow>(model.Transform(rows), false).SelectMany(r => r.Warp).ToArray());
    }

    [TestMethod]
    public void AReferenceOfAnotherSizeIsResizedAndEmptyDataIsRefused()
    {
        var ml = new MLContext(0);
        var options = Options(AlignmentTarget.Reference, SamplingMode.Linearized, TestData.Photo("coffee.png"));
        options.Training.Epochs = 1;
        using var data = new PerturbedCrops("chelsea.png", 8, 0.1, seed: 4);
        var model = ml.Transforms.AlignImages("Aligned", "Pixels", options).Fit(PixelData.From(ml, data.Rows));
        Assert.AreEqual(3 * 32 * 32, ml.Data.CreateEnumerable<AlignedRow>(model.Transform(PixelData.From(ml, data.Rows)), false).First().Aligned.Length);

        using var empty = zeros(0, 3, 32, 32);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.AlignImages("Aligned", "Pixels", options).Fit(PixelData.From(ml, empty)));
        StringAssert.Contains(e.Message, "no rows");
    }

    [TestMethod]
    public void AReferenceWithOtherChannelsIsRefused()
    {
        var ml = new MLContext(0);
        var options = Options(AlignmentTarget.Reference, SamplingMode.Linearized, TestData.Photo("coffee.png"));
        options.Transformer.Channels = 1;
        using var gray = zeros(4, 1, 32, 32);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AlignImages("Aligned", "Pixels", options).Fit(PixelData.From(ml, gray)));
        StringAssert.Contains(e.Message, "3 channels");
    }

    [TestMethod]
    public void ACorruptReferenceImageIsNamedAndSaidToBeUndecodable()
    {
        using var temp = new TempFolder();
        var reference = Path.Combine(temp.Path, "reference.png");
        File.WriteAllBytes(reference, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5, 6]);
        var ml = new MLContext(0);
        using var data = new PerturbedCrops("chelsea.png", 4, 0.1, seed: 5);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Transforms.AlignImages("Aligned", "Pixels", Options(AlignmentTarget.Reference, SamplingMode.Linearized, reference))
            .Fit(PixelData.From(ml, data.Rows)));
        StringAssert.StartsWith(e.Message, $"ReferenceImagePath: Image file '{reference}' could not be decoded");
    }

    /// <summary>64 views (32×32) of chelsea's centre moved by σ = 0.1 similarities, their reference, 2 epochs at <paramref name="learningRate"/>.</summary>
    private static (LearnedAlignmentEstimator Estimator, IDataView Rows) TooFast(MLContext ml, TempFolder temp, AlignmentTarget target, WarpFamily family,
        double learningRate, double minimumVisibleFraction = 0.75)
    {
        using var data = new PerturbedCrops("chelsea.png", 64, 0.1, seed: 11, WarpFamily.Similarity);
        var reference = Path.Combine(temp.Path, "reference.png");
        data.SaveReference(reference);
        var options = Options(target, SamplingMode.Linearized, target == AlignmentTarget.Reference ? reference : null);
        options.Transformer.Warp = family;
        options.Training.Epochs = 2;
        options.Training.BatchSize = 16;
        options.Training.LearningRate = learningRate;
        options.MinimumVisibleFraction = minimumVisibleFraction;
        return (ml.Transforms.AlignImages("Aligned", "Pixels", options), PixelData.From(ml, data.Rows));
    }

    [TestMethod]
    public void AWarpThatMovesTheImagesOutOfViewIsRefused()
    {
        // 200× the default learning rate: the network throws every image out of view, where the masked loss is exactly 0.
        using var temp = new TempFolder();
        var ml = new MLContext(0);
        var (noCheck, rows) = TooFast(ml, temp, AlignmentTarget.Reference, WarpFamily.Similarity, 1e-2, minimumVisibleFraction: 0);
        noCheck.Fit(rows);
        TestContext.WriteLine($"without the check: {noCheck.Quality}");
        Assert.AreEqual(0.0, noCheck.Quality!.FinalLoss, "the masked loss of an image out of view");
        Assert.IsLessThan(0.01, noCheck.Quality.VisibleFraction);

        var (estimator, _) = TooFast(ml, temp, AlignmentTarget.Reference, WarpFamily.Similarity, 1e-2);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Fit(rows));
        TestContext.WriteLine(e.Message);
        StringAssert.StartsWith(e.Message, "The learned alignment moves the images out of view: on average only 0.");
        StringAssert.Contains(e.Message, "MinimumVisibleFraction is 75 %");
        StringAssert.Contains(e.Message, "LearningRate 0.01");
        Assert.IsNull(estimator.TrainedNetwork, "no network is kept");
        Assert.IsNull(estimator.OnnxModel);
    }

    [TestMethod]
    public void MostOfTheOutputOutsideTheImageIsRefusedThoughItsLossIsLower()
    {
        // A network that leaves 42 % of each output on the image and fits that part better than the identity does: the
        // loss alone would accept it (such runs happen at learning rates far above the default, but which rate produces
        // one depends on the sampler's noise stream, so the check is given the measured quality directly).
        var options = new LearnedAlignmentOptions { Training = { LearningRate = 0.1 } };
        var partlyVisible = new LearnedAlignmentQuality(InitialLoss: 0.0098, FinalLoss: 0.0053, VisibleFraction: 0.42);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => AlignmentNetworkTraining.CheckQuality(partlyVisible, options));
        TestContext.WriteLine(e.Message);
        StringAssert.StartsWith(e.Message, "The learned alignment moves the images out of view: on average only 42.0 %");
        StringAssert.Contains(e.Message, "MinimumVisibleFraction is 75 %");
        StringAssert.Contains(e.Message, "LearningRate 0.1");

        AlignmentNetworkTraining.CheckQuality(partlyVisible with { VisibleFraction = 0.8 }, options);
        options.MinimumVisibleFraction = 0.4;
        AlignmentNetworkTraining.CheckQuality(partlyVisible, options);
        var worse = Assert.ThrowsExactly<InvalidOperationException>(() => AlignmentNetworkTraining.CheckQuality(partlyVisible with { FinalLoss = 0.0105 }, options));
        StringAssert.StartsWith(worse.Message, "The learned alignment fits the training images worse than no warp at all: photometric loss 0.0105 after training, 0.0098 at the identity warp.");
        AlignmentNetworkTraining.CheckQuality(partlyVisible with { FinalLoss = 0.0102 }, options); // within 5 % + 1e-4
    }

    [TestMethod]
    public void AnAlignmentThatFitsWorseThanNoWarpIsRefused()
    {
        // 6× the default learning rate with similarities: every output shows the image, but it matches the reference
        // worse than the unwarped images did.
        using var temp = new TempFolder();
        var ml = new MLContext(0);
        var (estimator, rows) = TooFast(ml, temp, AlignmentTarget.Reference, WarpFamily.Similarity, 3e-4);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Fit(rows));
        TestContext.WriteLine(e.Message);
        StringAssert.StartsWith(e.Message, "The learned alignment fits the training images worse than no warp at all: photometric loss ");
        Assert.IsNull(estimator.TrainedNetwork);
    }

    private sealed class AlignedRow
    {
        public float[] Aligned { get; set; } = [];
    }

    private sealed class WarpRow
    {
        public float[] Warp { get; set; } = [];
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("spatial-transform-tests-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

