using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Trains an alignment network (STN or IC-STN without a classifier) with a photometric loss: the mean squared difference
/// between each rectified training image and the reference at the output size. Each image is first moved by a fresh
/// random warp that the network must also undo. With no reference (congealing), the reference is the mean of the
/// currently aligned training images, recomputed at the start of every epoch. The library's training loop
/// (<see cref="MiniBatchLoop"/>) with <see cref="LearnedAlignmentOptions.Training"/>'s optimizer and schedule.
/// Before and after training it measures the fit (<see cref="LearnedAlignmentQuality"/>), and refuses a network that
/// moves the images out of view or fits them worse than the identity (<see cref="CheckQuality"/>).
/// </summary>
internal static class AlignmentNetworkTraining
{
    /// <summary>Trains <paramref name="module"/> in place and returns the measured fit; throws when the result cannot be an alignment.</summary>
    public static LearnedAlignmentQuality Train(SpatialTransformerBase module, Tensor images, Tensor? reference, LearnedAlignmentOptions options, Action<string> log)
    {
        var training = options.Training;
        var device = ComputeDevices.Resolve(training.Device);
        TorchNumerics.EnsureChecked(device, log);
        DivergenceGuard.CheckFinite(images, "The training images");
        module.to(device);
        var target = reference?.to(device);
        var settings = training.LoopSettings(device, LearningRateLabel(training)) with
        {
            LossName = "photometric loss",
            Progress = options.Progress,
            CancellationToken = options.CancellationToken,
        };
        try
        {
            using var optimizer = TrainingOptimizers.Create(training.Optimizer, [(module.parameters(), training.LearningRate)], training.Momentum, training.WeightDecay);
            using var loop = new MiniBatchLoop(module, module, optimizer, images.shape[0], settings);
            var (initialLoss, _) = Measure(module, images, target, training.BatchSize, device, options.CancellationToken);
            for (int epoch = 1; epoch <= training.Epochs; epoch++)
            {
                using var mean = target is null ? MeanOfAligned(module, images, training.BatchSize, device, options.CancellationToken) : null;
                var goal = target ?? mean!;
                var (loss, _, imagesPerSecond, elapsed) = loop.RunEpoch(epoch, index =>
                {
                    var x = images.index_select(0, index).to(device);
                    var result = module.Transform(x, loop.Perturbation(module.Options.Warp, x.shape[0], x.dtype));
                    return (MaskedLoss(result.Rectified, goal, Visible(module, x, result.Parameters)), null);
                });
                log(FormattableString.Invariant($"Epoch {epoch}/{training.Epochs}: photometric loss {loss:F5}"));
                loop.ReportEpoch(new EpochMetrics(epoch, loss, null, null, null, imagesPerSecond, elapsed));
            }
            var (finalLoss, visible) = Measure(module, images, target, training.BatchSize, device, options.CancellationToken);
            var quality = new LearnedAlignmentQuality(initialLoss, finalLoss, visible);
            log(FormattableString.Invariant(
                $"Fit of the training images: photometric loss {initialLoss:G4} at the identity, {finalLoss:G4} aligned; {visible:P1} of the output shows the image."));
            CheckQuality(quality, options);
            return quality;
        }
        finally
        {
            target?.Dispose();
            module.eval();
        }
    }

    /// <summary>
    /// Where the warped output shows the image rather than padding: the warp applied to an all-ones image (bilinear,
    /// zero padding), detached. Without it the loss would punish the correct warp for the padding it reveals, and the
    /// network would learn to zoom in instead of aligning.
    /// </summary>
    private static Tensor Visible(SpatialTransformerBase module, Tensor x, Tensor parameters)
    {
        using var noGrad = no_grad();
        var o = module.Options;
        var grid = WarpGrid.ToGrid(parameters.detach(), o.Warp, o.OutputHeightInUse, o.OutputWidthInUse, o.AlignCorners, o.FrameScale);
        return nn.functional.grid_sample(ones(x.shape[0], 1, x.shape[2], x.shape[3], dtype: x.dtype, device: x.device), grid,
            GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, o.AlignCorners);
    }

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> when the trained network cannot be an alignment: on average less than
    /// <see cref="LearnedAlignmentOptions.MinimumVisibleFraction"/> of its output shows the image, or its loss is worse than
    /// that of the identity warp (by more than <see cref="LossTolerance"/> relative plus <see cref="LossSlack"/>).
    /// </summary>
    public static void CheckQuality(LearnedAlignmentQuality quality, LearnedAlignmentOptions options)
    {
        var lr = LearningRateLabel(options.Training);
        if (!(quality.VisibleFraction >= options.MinimumVisibleFraction))
            throw new InvalidOperationException(FormattableString.Invariant(
                $"The learned alignment moves the images out of view: on average only {quality.VisibleFraction:P1} of each aligned output shows the image (MinimumVisibleFraction is {options.MinimumVisibleFraction:P0}); the rest is padding, which the photometric loss ignores, so its loss ({quality.FinalLoss:G3}, {quality.InitialLoss:G3} at the identity) says nothing. ") +
                $"Usual causes: a learning rate too high ({lr}; try 10× lower), too strong a Training.PerturbationStrength ({options.Training.PerturbationStrength.ToString(System.Globalization.CultureInfo.InvariantCulture)}), or images with nothing to align. No model was returned.");
        if (!(quality.FinalLoss <= quality.InitialLoss * (1 + LossTolerance) + LossSlack))
            throw new InvalidOperationException(FormattableString.Invariant(
                $"The learned alignment fits the training images worse than no warp at all: photometric loss {quality.FinalLoss:G4} after training, {quality.InitialLoss:G4} at the identity warp. ") +
                $"Usual causes: a learning rate too high ({lr}; try 10× lower) or too few epochs (Training.Epochs {options.Training.Epochs}) for the network to learn. No model was returned.");
    }

    /// <summary>The learning rate in use, named as the user set it, for a message.</summary>
    private static string LearningRateLabel(TrainingOptions training) => FormattableString.Invariant($"Training.LearningRate {training.LearningRate}");

    /// <summary>Relative slack of the final loss over the initial one before it counts as worse: 5 %.</summary>
    public const double LossTolerance = 0.05;

    /// <summary>Absolute slack (mean squared difference of [0, 1] pixels, about 1 % RMS): images that already match leave room for noise.</summary>
    public const double LossSlack = 1e-4;

    /// <summary>
    /// The masked loss of the training images (eval mode, no perturbation) against the reference, or against the mean of
    /// the aligned images, and the mean visible fraction of the output.
    /// </summary>
    private static (double Loss, double Visible) Measure(SpatialTransformerBase module, Tensor images, Tensor? reference, int batchSize, Device device,
        CancellationToken token)
    {
        using var mean = reference is null ? MeanOfAligned(module, images, batchSize, device, token) : null;
        var goal = reference ?? mean!;
        module.eval();
        using var noGrad = no_grad();
        double squares = 0, weights = 0, visibleSum = 0;
        long channels = images.shape[1];
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            token.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var x = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(device);
            var result = module.Transform(x);
            var visible = Visible(module, x, result.Parameters);
            squares += ((result.Rectified - goal).square() * visible).sum().to(ScalarType.Float64).item<double>();
            weights += visible.sum().to(ScalarType.Float64).item<double>();
            visibleSum += visible.mean(new long[] { 1, 2, 3 }).sum().to(ScalarType.Float64).item<double>();
        }
        return (squares / (weights * channels + 1e-6), visibleSum / images.shape[0]);
    }

    /// <summary>Mean squared difference over the visible pixels (weights <paramref name="visible"/>, summed over channels).</summary>
    private static Tensor MaskedLoss(Tensor rectified, Tensor goal, Tensor visible) =>
        ((rectified - goal).square() * visible).sum() / visible.sum().Times(rectified.shape[1]).Plus(1e-6);

    /// <summary>The mean (1, C, Hout, Wout) of the training images as the module aligns them now (eval mode, no gradient).</summary>
    private static Tensor MeanOfAligned(SpatialTransformerBase module, Tensor images, int batchSize, Device device, CancellationToken token)
    {
        module.eval();
        using var noGrad = no_grad();
        Tensor? sum = null;
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            token.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var x = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(device);
            var part = module.Transform(x).Rectified.sum(0, keepdim: true);
            if (sum is null) sum = part.MoveToOuterDisposeScope();
            else sum.PlusInPlace(part);
        }
        return sum!.OverInPlace(images.shape[0]);
    }
}
