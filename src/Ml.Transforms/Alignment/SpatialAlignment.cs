using Ml.Transforms.Devices;
using TorchSharp;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using Ml.Transforms.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Alignment;

/// <summary>
/// Direct image alignment by gradient descent through a differentiable sampler (the image-alignment experiment of
/// Jiang et al., ICCV 2019): find the warp under which the image, sampled at the output size, best matches a reference.
/// </summary>
public static class SpatialAlignment
{
    /// <summary>
    /// Minimises, for each batch row, the mean squared difference between
    /// <c>GridSample(image, ToGrid(p, Hout, Wout))</c> (the chosen sampler, alignCorners = false) and the reference resized
    /// to (Hout, Wout).
    /// <para>
    /// Parameterization: p = p₀ ∘ Δ (<see cref="WarpComposition.Compose"/>), where p₀ is <paramref name="initialWarp"/>
    /// (or the identity) and Δ starts at the identity; gradient descent updates Δ. A step therefore moves the warp in the
    /// OUTPUT frame's units whatever p₀ is (a crop at half scale does not halve the effective learning rate).
    /// </para>
    /// <para>
    /// Reference resizing: <c>nn.functional.interpolate</c>, bilinear with <c>antialias: true</c> and
    /// <c>align_corners: false</c>: when shrinking, a triangle filter as wide as the scale factor (PIL-style area-weighted
    /// downsampling), so the reference is not aliased; plain bilinear when enlarging; untouched at equal size.
    /// </para>
    /// <para>
    /// Batch rows are independent: the objective is the SUM over rows of each row's mean squared difference, and both
    /// update rules (<c>torch.optim</c>'s Adam and SGD, as the training loop uses them) act elementwise, so a row's result does not depend on the others (up to floating-point rounding of
    /// batched kernels; the linearized sampler's noise does depend on the batch layout). One dispose scope per step; the
    /// work runs on the image's device with its dtype.
    /// </para>
    /// <para>
    /// Like every entry point that trains, it first runs <see cref="Devices.TorchNumerics.EnsureChecked"/> on the image's
    /// device (once per process).
    /// </para>
    /// </summary>
    /// <param name="image">(N, C, H, W) or (1, C, H, W) (shared by every reference), floating point, finite; float16 and bfloat16 are computed in float32.</param>
    /// <param name="reference">(N, C, Hr, Wr) or (1, C, Hr, Wr) (shared), the image's dtype and device, finite.</param>
    /// <param name="options">Settings; null = the defaults of <see cref="SpatialAlignmentOptions"/>.</param>
    /// <param name="initialWarp">(N, P) or (1, P) starting parameters of <see cref="SpatialAlignmentOptions.Warp"/>'s family; null = identity.</param>
    /// <returns>
    /// The parameters found, the loss curve, per-row convergence, and the final and initial losses; a row whose final
    /// loss is worse than its start or not finite is flagged in <see cref="AlignmentResult.Diverged"/>.
    /// </returns>
    /// <exception cref="ArgumentException">Wrong rank, channel or batch mismatch, dtype or device mismatch, NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range (named in the message).</exception>
    public static AlignmentResult Align(Tensor image, Tensor reference, SpatialAlignmentOptions? options = null, Tensor? initialWarp = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        if (image.dtype is ScalarType.Float16 or ScalarType.BFloat16 && reference.dtype == image.dtype)
        {
            // Half precision cannot hold the steps' small updates and losses (every parameter came out NaN): computed in
            // float32, as the sampler does, and the parameters handed back in the image's dtype.
            using var single = NewDisposeScope();
            var result = Align(image.to(ScalarType.Float32), reference.to(ScalarType.Float32), options, initialWarp?.to(ScalarType.Float32));
            return result with { Parameters = result.Parameters.to(image.dtype).MoveToOuterDisposeScope() };
        }
        options ??= new SpatialAlignmentOptions();
        options.Validate();
        long n = AlignmentArguments.Validate(image, reference, initialWarp, options.Warp);
        Devices.TorchNumerics.EnsureChecked(image.device);
        var family = options.Warp;
        int parameterCount = family.ParameterCount();
        long hOut = options.OutputHeight ?? reference.shape[2];
        long wOut = options.OutputWidth ?? reference.shape[3];
        var dtype = image.dtype;
        var device = image.device;

        using var ownGenerator = options.SamplerOptions?.Generator is null ? new Generator((ulong)options.Seed, device) : null;
        var samplerOptions = WithGenerator(options.SamplerOptions, ownGenerator);

        // Every tensor made here (intermediates included) is freed on return, except the parameters moved out.
        using var scope = NewDisposeScope();
        var images = image.detach();
        var start = initialWarp is null
            ? WarpMatrices.Identity(family, n, dtype, device)
            : initialWarp.detach().to(dtype).expand(n, parameterCount).contiguous();
        var delta = new Parameter(zeros(new[] { n, parameterCount }, dtype: dtype, device: device));
        using var optimizer = TrainingOptimizers.Create(options.Optimizer, [([delta], options.LearningRate)]);
        var rates = optimizer.ParamGroups.Single();
        var initialLosses = RowLosses(images, reference, start, hOut, wOut, options, samplerOptions);

        var curve = new List<double>(options.Steps);
        var lastStageLosses = new List<double[]>();
        var stages = Stages(options, hOut, wOut);
        foreach (var (height, width, steps) in stages)
        {
            lastStageLosses.Clear();
            var target = ResizeReference(reference, height, width).expand(n, -1, -1, -1);
            for (int step = 0; step < steps; step++)
            {
                using (NewDisposeScope())
                {
                    var warp = WarpComposition.Compose(start, delta, family);
                    var grid = WarpGrid.ToGrid(warp, family, height, width, alignCorners: false);
                    var warped = Sample(images, grid, options, samplerOptions);
                    var rowLosses = (warped - target).square().mean(new long[] { 1, 2, 3 });
                    rowLosses.sum().backward();
                    var values = rowLosses.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
                    lastStageLosses.Add(values);
                    curve.Add(values.Average());
                }
                _ = delta.grad ?? throw new InvalidOperationException("The warp parameters received no gradient.");
                rates.LearningRate = options.LearningRate * LearningRateScaling.CosineToFraction(step, steps, options.FinalLearningRateFraction);
                optimizer.step();
                optimizer.zero_grad();
            }
        }

        using var noGrad = no_grad();
        var parameters = WarpComposition.Compose(start, delta.detach(), family);
        var finalLosses = RowLosses(images, reference, parameters, hOut, wOut, options, samplerOptions);
        var converged = Convergence(lastStageLosses, n, options.ConvergenceTolerance);
        for (int row = 0; row < n; row++)
            converged[row] &= finalLosses[row] <= initialLosses[row];
        return new AlignmentResult(parameters.MoveToOuterDisposeScope(), curve, converged, finalLosses, initialLosses);
    }

    /// <summary>Per row, the mean squared difference to the reference at <paramref name="warp"/>, read by the sampler without a gradient; NaN where the warp is not finite.</summary>
    private static double[] RowLosses(Tensor images, Tensor reference, Tensor warp, long height, long width, SpatialAlignmentOptions options,
        SamplerOptions samplerOptions)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = warp.shape[0];
        var finite = warp.isfinite().all(1);
        var safe = where(finite.unsqueeze(1), warp, zeros_like(warp));
        var target = ResizeReference(reference, height, width).expand(n, -1, -1, -1);
        var grid = WarpGrid.ToGrid(safe, options.Warp, height, width, alignCorners: false);
        var losses = (Sample(images, grid, options, samplerOptions) - target).square().mean(new long[] { 1, 2, 3 });
        return where(finite, losses, KeptScalars.FullLike(losses, double.NaN)).to(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>
    /// The image (N or 1 rows) read at the grid (N rows). A shared image with a pointwise sampler (every one but
    /// Linearized, whose noise scale depends on the grid's shape) is read ONCE, the N grids stacked along the rows of
    /// one grid: the same values and gradients as sampling N copies, without N copies of the multi-scale pyramid.
    /// </summary>
    private static Tensor Sample(Tensor image, Tensor grid, SpatialAlignmentOptions options, SamplerOptions samplerOptions)
    {
        long n = grid.shape[0], height = grid.shape[1], width = grid.shape[2];
        if (image.shape[0] == n)
            return GridSampler.GridSample(image, grid, options.Sampler, options.Padding, alignCorners: false, samplerOptions);
        if (options.Sampler == SamplingMode.Linearized)
            return GridSampler.GridSample(image.expand(n, -1, -1, -1), grid, options.Sampler, options.Padding, alignCorners: false, samplerOptions);
        var stackedOptions = samplerOptions;
        if (options.Sampler == SamplingMode.MultiScale && samplerOptions.Levels == 0)
        {
            stackedOptions = WithGenerator(samplerOptions, samplerOptions.Generator);
            stackedOptions.Levels = MultiScaleSampler.AutomaticLevels(image.shape[2], image.shape[3], height, width);
        }
        var stacked = GridSampler.GridSample(image, grid.reshape(1, n * height, width, 2), options.Sampler, options.Padding,
            alignCorners: false, stackedOptions);
        return stacked.view(image.shape[1], n, height, width).transpose(0, 1);
    }

    /// <summary>The reference resized to (height, width) as <see cref="Align"/> compares it (see there); a new tensor or view the caller disposes.</summary>
    internal static Tensor ResizeReference(Tensor reference, long height, long width)
    {
        if (reference.shape[2] == height && reference.shape[3] == width)
            return reference.detach();
        using var noGrad = no_grad();
        return nn.functional.interpolate(reference.detach(), new[] { height, width }, mode: InterpolationMode.Bilinear,
            align_corners: false, antialias: true);
    }

    private static List<(long Height, long Width, int Steps)> Stages(SpatialAlignmentOptions options, long hOut, long wOut)
    {
        if (!options.CoarseToFine)
            return [(hOut, wOut, options.Steps)];
        int early = options.Steps / 3;
        return
        [
            (Math.Max(1, hOut / 4), Math.Max(1, wOut / 4), early),
            (Math.Max(1, hOut / 2), Math.Max(1, wOut / 2), early),
            (hOut, wOut, options.Steps - 2 * early),
        ];
    }

    private static bool[] Convergence(List<double[]> losses, long n, double tolerance)
    {
        var converged = new bool[n];
        int window = Math.Min(10, losses.Count / 2);
        if (window < 1)
            return converged;
        for (int row = 0; row < n; row++)
        {
            double last = 0, previous = 0;
            for (int i = 0; i < window; i++)
            {
                last += losses[losses.Count - 1 - i][row];
                previous += losses[losses.Count - 1 - window - i][row];
            }
            last /= window;
            previous /= window;
            converged[row] = double.IsFinite(last) && Math.Abs(last - previous) <= tolerance * Math.Abs(previous);
        }
        return converged;
    }

    private static SamplerOptions WithGenerator(SamplerOptions? options, Generator? generator) =>
        (options ?? new SamplerOptions()).WithGenerator(generator);
}
