using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using Ml.Transforms.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Training;

/// <summary>
/// <see cref="MiniBatchLoop"/>, the training loop the classifier's engine and the learned alignment share: seeding,
/// the divergence guard, cancellation, the learning-rate factor, progress reports and dispose-scope discipline — tested
/// here once, on a least-squares problem (y = x·w + noise, 30 rows, batches of 10) that needs no images.
/// </summary>
[TestClass]
public sealed class MiniBatchLoopTests
{
    private const int Rows = 30;
    private const int Batch = 10;

    private static (Tensor X, Tensor Y) Data()
    {
        using var generator = new Generator(7);
        var x = randn(Rows, 4, generator: generator);
        var y = x.matmul(tensor(new float[] { 1, -2, 0.5f, 3 })).Plus(randn(Rows, generator: generator).Times(0.1));
        return (x, y);
    }

    private static MiniBatchSettings Settings(int epochs = 2, int seed = 0) => new(epochs, Batch, seed, CPU, "LearningRate 0.1");

    /// <summary>Trains a fresh 4 → 1 linear model (weights from seed 3) and returns its weights.</summary>
    private static float[] Train(MiniBatchSettings settings, Func<Tensor, Tensor, Tensor, Tensor>? lossOverride = null)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        manual_seed(3);
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        using (var loop = new MiniBatchLoop(model, null, optimizer, Rows, settings))
            for (int epoch = 1; epoch <= settings.Epochs; epoch++)
                loop.RunEpoch(epoch, index =>
                {
                    var prediction = model.forward(x.index_select(0, index)).squeeze(1);
                    var target = y.index_select(0, index);
                    return (lossOverride?.Invoke(prediction, target, index) ?? nn.functional.mse_loss(prediction, target), null);
                });
        return model.weight!.data<float>().ToArray();
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameWeightsAndAnotherSeedOtherWeights()
    {
        var first = Train(Settings(seed: 5));
        CollectionAssert.AreEqual(first, Train(Settings(seed: 5)), "same seed, data and settings: bit-identical weights");
        CollectionAssert.AreNotEqual(first, Train(Settings(seed: 6)), "another seed shuffles the batches differently");
    }

    [TestMethod]
    public void ItLearnsTheLeastSquaresSolution()
    {
        var w = Train(Settings(epochs: 60));
        float[] expected = [1, -2, 0.5f, 3];
        for (int i = 0; i < 4; i++)
            Assert.AreEqual(expected[i], w[i], 0.15, $"weight {i} (noise σ 0.1 on 30 rows)");
    }

    [TestMethod]
    public void ANonFiniteLossStopsTrainingNamingTheEpochBatchAndLearningRate()
    {
        int call = 0;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            Train(Settings(), (prediction, target, _) => call++ == 1 ? prediction.sum().Times(double.NaN) : nn.functional.mse_loss(prediction, target)));
        StringAssert.Contains(e.Message, "epoch 1, batch 2 of 3 (examples 11–20 of 30)");
        StringAssert.Contains(e.Message, "the training loss is NaN");
        StringAssert.Contains(e.Message, "LearningRate 0.1");
    }

    [TestMethod]
    public void AFiniteLossAboveTheLimitStopsTrainingToo()
    {
        var settings = Settings() with { LossLimit = 1e-6, LossLimitMeaning = "the test's limit (1e-6)", LossName = "photometric loss" };
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Train(settings));
        StringAssert.Contains(e.Message, "epoch 1, batch 1 of 3");
        StringAssert.Contains(e.Message, "the photometric loss is");
        StringAssert.Contains(e.Message, "more than the test's limit (1e-6)");
    }

    [TestMethod]
    public void CancellationStopsBeforeTheNextBatch()
    {
        using var cancellation = new CancellationTokenSource();
        int batches = 0;
        var settings = Settings() with { CancellationToken = cancellation.Token };
        Assert.ThrowsExactly<OperationCanceledException>(() => Train(settings, (prediction, target, _) =>
        {
            batches++;
            cancellation.Cancel();
            return nn.functional.mse_loss(prediction, target);
        }));
        Assert.AreEqual(1, batches, "the batch running when the token was cancelled finishes; no other starts");
    }

    [TestMethod]
    public void ItReportsEveryBatchAndEveryEpochWithAccuracyOnlyWhereThereAreCounts()
    {
        var reports = new List<TrainingProgress>();
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var loop = new MiniBatchLoop(model, null, optimizer, Rows, Settings(epochs: 1) with { Progress = reports.Add });
        var (loss, accuracy, imagesPerSecond, _) = loop.RunEpoch(1, index =>
        {
            var prediction = model.forward(x.index_select(0, index)).squeeze(1);
            var target = y.index_select(0, index);
            return (nn.functional.mse_loss(prediction, target), prediction.gt(KeptScalars.Zero).eq(target.gt(KeptScalars.Zero)).sum());
        });
        loop.ReportEpoch(new EpochMetrics(1, loss, accuracy, null, null, imagesPerSecond, TimeSpan.Zero));
        Assert.HasCount(4, reports, "three batches and the epoch");
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 3 }, reports.Select(r => r.Batch).ToArray());
        Assert.IsTrue(reports.Take(3).All(r => r.CompletedEpoch is null && r.Accuracy is >= 0 and <= 1 && r.Batches == 3));
        Assert.IsNotNull(reports[3].CompletedEpoch);
        Assert.AreEqual(loss, reports[2].Loss, 1e-12, "the last batch's running mean is the epoch's mean loss");
        Assert.AreEqual(accuracy!.Value, reports[2].Accuracy!.Value, 1e-12);
    }

    [TestMethod]
    public void TheRateFactorScalesEveryGroupsBaseRatePerStep()
    {
        var factors = new List<(long Step, long Total)>();
        using var scope = NewDisposeScope();
        var (x, y) = Data();
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var before = model.weight!.data<float>().ToArray();
        var settings = Settings(epochs: 1) with { RateFactor = (step, total) => { factors.Add((step, total)); return 0; } };
        using (var loop = new MiniBatchLoop(model, null, optimizer, Rows, settings))
            loop.RunEpoch(1, index => (nn.functional.mse_loss(model.forward(x.index_select(0, index)).squeeze(1), y.index_select(0, index)), null));
        CollectionAssert.AreEqual(new (long, long)[] { (0, 3), (1, 3), (2, 3) }, factors, "steps 0..2 of 3 (one epoch of three batches)");
        CollectionAssert.AreEqual(before, model.weight!.data<float>().ToArray(), "a factor of 0 leaves the weights as they were");
        Assert.AreEqual(0.0, optimizer.ParamGroups.Single().LearningRate);
    }

    [TestMethod]
    public void EachBatchRunsInItsOwnDisposeScope()
    {
        var inside = new List<Tensor>();
        Train(Settings(epochs: 1), (prediction, target, _) =>
        {
            var loss = nn.functional.mse_loss(prediction, target);
            inside.Add(prediction);
            return loss;
        });
        Assert.HasCount(3, inside);
        Assert.IsTrue(inside.All(t => t.IsInvalid), "what a batch made is freed when the batch ends, not at the end of training");
    }

    [TestMethod]
    public void PerturbationsAreSeededWarpsOfTheSetStrengthAndNoneAtZero()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        Tensor Draw(double strength, int seed)
        {
            using var loop = new MiniBatchLoop(model, null, optimizer, Rows, Settings(seed: seed) with { Perturbation = PerturbationOptions.Of(strength) });
            return loop.Perturbation(WarpFamily.Homography, 5, ScalarType.Float32)!;
        }
        using (var loop = new MiniBatchLoop(model, null, optimizer, Rows, Settings()))
            Assert.IsNull(loop.Perturbation(WarpFamily.Homography, 5, ScalarType.Float32), "strength 0: no perturbation");
        var first = Draw(0.25, seed: 4);
        CollectionAssert.AreEqual(new long[] { 5, 8 }, first.shape, "five homographies of 8 parameters");
        Assert.IsTrue(first.abs().max().item<float>() > 0.01f, "σ 0.25 moves the corners");
        Assert.IsTrue(torch.equal(first, Draw(0.25, seed: 4)).all().item<bool>(), "the same seed (+ 1) gives the same warps");
        Assert.IsFalse(torch.equal(first, Draw(0.25, seed: 5)).all().item<bool>(), "another seed other warps");
        var weak = Draw(0.025, seed: 4);
        Assert.AreEqual(0.1, weak.abs().mean().item<float>() / first.abs().mean().item<float>(), 0.02, "σ scales the warps (tenfold weaker, tenfold smaller)");
    }

    /// <summary>
    /// TrainingOptions.TranslationStrength with PerturbationStrength 0: every warp is a pure shift (the four corners move
    /// together, by N(0, σ²) per coordinate); with a perturbation the two shifts add; with both 0 there is none.
    /// </summary>
    [TestMethod]
    public void ATranslationStrengthAloneShiftsWithoutDistorting()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var shiftOnly = new TrainingOptions { PerturbationStrength = 0, TranslationStrength = 0.1, Seed = 3 };
        using (var loop = new MiniBatchLoop(model, null, optimizer, Rows, shiftOnly.LoopSettings(CPU, "LearningRate 0.1")))
        {
            var warps = loop.Perturbation(WarpFamily.Homography, 2000, ScalarType.Float64)!;
            var corners = WarpFitting.CanonicalCorners(ScalarType.Float64);
            var moved = WarpComposition.TransformPoints(warps, corners.expand(2000, -1, -1), WarpFamily.Homography);
            var shift = moved - corners;
            TensorAssert.Close(shift[.., 0..1].expand(-1, 4, -1), shift, 1e-9, "all four corners move by the same shift");
            Assert.AreEqual(0.1, shift[.., 0].std().item<double>(), 0.01, "σ of each coordinate of the shift (2,000 draws)");
        }
        var none = new TrainingOptions { PerturbationStrength = 0, TranslationStrength = 0 };
        using (var loop = new MiniBatchLoop(model, null, optimizer, Rows, none.LoopSettings(CPU, "LearningRate 0.1")))
            Assert.IsNull(loop.Perturbation(WarpFamily.Homography, 5, ScalarType.Float32), "both 0: no perturbation");
        Assert.AreEqual(0.25, new TrainingOptions { PerturbationStrength = 0.25 }.PerturbationInUse!.TranslationStrength, 1e-12, "the perturbation's own shift");
        Assert.AreEqual(0.5, new TrainingOptions { PerturbationStrength = 0.3, TranslationStrength = 0.4 }.PerturbationInUse!.TranslationStrength, 1e-12, "two independent shifts: √(0.3² + 0.4²)");
        Assert.AreEqual(0.3, new TrainingOptions { PerturbationStrength = 0.3, TranslationStrength = 0.4 }.PerturbationInUse!.CornerStrength, 1e-12);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingOptions { TranslationStrength = -0.1 }.Validate());
    }

    [TestMethod]
    public void TheTransformerDrawsItsNoiseFromTheLoopAndGetsItsOwnBackAfterwards()
    {
        using var transformer = new SpatialTransformer(new SpatialTransformerOptions { ImageHeight = 8, ImageWidth = 8, Sampler = SamplingMode.Linearized });
        using var optimizer = optim.Adam(transformer.parameters(), 1e-4);
        using (var loop = new MiniBatchLoop(transformer, transformer, optimizer, 4, Settings(epochs: 1)))
        {
            Assert.IsNotNull(transformer.NoiseGenerator, "the sampler's noise comes from the loop's seed + 2");
        }
        Assert.IsNull(transformer.NoiseGenerator);
        Assert.IsFalse(transformer.training, "disposing the loop puts the model in eval mode");
    }
}
