using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Trains an alignment network (STN or IC-STN without a classifier) with a photometric loss: the mean squared difference
/// between each rectified training image and the reference at the output size. Each image is first moved by a fresh
/// random warp that the network must also undo. With no reference (congealing), the reference is the mean of the
/// currently aligned training images, recomputed at the start of every epoch. Adam; one dispose scope per batch.
/// </summary>
internal static class AlignmentNetworkTraining
{
    public static void Train(SpatialTransformerBase module, Tensor images, Tensor? reference, LearnedAlignmentOptions options, Action<string> log)
    {
        var device = ComputeDevices.Resolve(options.Device);
        TorchNumerics.EnsureChecked(device, log);
        DivergenceGuard.CheckFinite(images, "The training images");
        module.to(device);
        using var noise = new Generator((ulong)options.Seed + 2, device);
        module.NoiseGenerator = noise;
        var settings = FormattableString.Invariant($"LearningRate {options.LearningRate}");
        using var shuffling = new Generator((ulong)options.Seed);
        using var perturbations = new Generator((ulong)options.Seed + 1, device);
        using var optimizer = optim.Adam(module.parameters(), options.LearningRate);
        var perturbation = new PerturbationOptions { CornerStrength = options.PerturbationStrength, TranslationStrength = options.PerturbationStrength };
        var target = reference?.to(device);
        long count = images.shape[0];
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                Tensor? mean = target is null ? MeanOfAligned(module, images, options.BatchSize, device, options.CancellationToken) : null;
                var goal = target ?? mean!;
                module.train();
                double lossSum = 0;
                using (var order = randperm(count, generator: shuffling))
                {
                    for (long start = 0; start < count; start += options.BatchSize)
                    {
                        options.CancellationToken.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        long n = Math.Min(options.BatchSize, count - start);
                        var x = images.index_select(0, order.narrow(0, start, n)).to(device);
                        var warp = options.PerturbationStrength > 0
                            ? WarpPerturbation.Sample(module.Options.Warp, n, perturbation, perturbations, x.dtype, device)
                            : null;
                        var result = module.Transform(x, warp);
                        var loss = MaskedLoss(result.Rectified, goal, Visible(module, x, result.Parameters));
                        double batchLoss = loss.to(ScalarType.Float64).item<double>();
                        if (!double.IsFinite(batchLoss))
                            throw DivergenceGuard.Diverged($"epoch {epoch}, images {start + 1}–{start + n} of {count}", $"the photometric loss is {batchLoss}", settings);
                        optimizer.zero_grad();
                        loss.backward();
                        optimizer.step();
                        lossSum += batchLoss * n;
                    }
                }
                mean?.Dispose();
                double meanLoss = lossSum / count;
                DivergenceGuard.CheckParameters(module, $"epoch {epoch}", settings);
                log(FormattableString.Invariant($"Epoch {epoch}/{options.Epochs}: photometric loss {meanLoss:F5}"));
                options.Progress?.Invoke(epoch, meanLoss);
            }
        }
        finally
        {
            target?.Dispose();
            module.NoiseGenerator = null;
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
        var grid = WarpGrid.ToGrid(parameters.detach(), o.Warp, o.OutputHeightInUse, o.OutputWidthInUse, o.AlignCorners);
        return nn.functional.grid_sample(ones(x.shape[0], 1, x.shape[2], x.shape[3], dtype: x.dtype, device: x.device), grid,
            GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, o.AlignCorners);
    }

    /// <summary>Mean squared difference over the visible pixels (weights <paramref name="visible"/>, summed over channels).</summary>
    private static Tensor MaskedLoss(Tensor rectified, Tensor goal, Tensor visible) =>
        ((rectified - goal).square() * visible).sum() / (visible.sum() * rectified.shape[1] + 1e-6);

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
            else sum.add_(part);
        }
        sum!.div_(images.shape[0]);
        return sum;
    }
}
