using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Linearized multi-sampling (Jiang, Sun, Tagliasacchi, Trulls, Yi, ICCV 2019). Around each query point p0 it draws
/// K - 1 random auxiliary points, samples all K bilinearly on the detached grid in one call, fits
/// I(p0 + d) - I(p0) ≈ a·dx + b·dy + c by least squares, and uses (a, b) as the gradient to the grid.
/// The input gets exactly bilinear's gradient (through p0 only).
/// </summary>
public static class LinearizedSampler
{
    /// <summary>
    /// Forward: bilinear(p0) + c (c detached) with <see cref="SamplerOptions.AddFittedIntercept"/>, else exactly
    /// bilinear(p0). Backward: dL/dp0 = Σ_c g_c·(a_c, b_c); dL/dinput = bilinear's. When no gradient is needed
    /// (grad mode off, or neither tensor requires grad) no noise is drawn and the result is exactly bilinear(p0).
    /// </summary>
    /// <param name="input">(N, C, Hin, Win).</param>
    /// <param name="grid">(N, Hout, Wout, 2), normalized (x, y).</param>
    /// <param name="padding">Padding of every sample.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    /// <param name="options">Sampler settings; null = defaults.</param>
    /// <returns>(N, C, Hout, Wout).</returns>
    public static Tensor Sample(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions? options = null)
    {
        SamplingArguments.Validate(input, grid);
        options ??= new SamplerOptions();
        options.Validate();
        return SampleValidated(input, grid, padding, alignCorners, options);
    }

    /// <summary><see cref="Sample"/> for arguments already checked (by <see cref="GridSampler.GridSample"/>).</summary>
    internal static Tensor SampleValidated(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        bool needsGradient = is_grad_enabled() && (input.requires_grad || grid.requires_grad);
        if (!needsGradient)
            return LibTorchSampler.Bilinear(input, grid, padding, alignCorners);

        using var scope = NewDisposeScope();
        var fixedGrid = grid.detach();
        // All K points go through one sampling call without a graph. An input that needs its gradient gets bilinear's
        // through p0: one more (identical) sample of p0 with the graph.
        var fit = FitCore(input.detach(), fixedGrid, padding, alignCorners, options);
        var value = input.requires_grad ? LibTorchSampler.Bilinear(input, fixedGrid, padding, alignCorners) : fit.Center;
        if (options.AddFittedIntercept)
            value = value + fit.Intercept;
        if (grid.requires_grad)
        {
            // Straight-through: (grid - grid.detach()) is exactly zero, so the value is unchanged, but its gradient
            // routes dL/dout·(a, b) to the grid.
            var delta = grid - fixedGrid;
            value = value
                + fit.SlopeX * delta[.., .., .., 0].unsqueeze(1)
                + fit.SlopeY * delta[.., .., .., 1].unsqueeze(1);
        }
        return value.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws the auxiliary samples and fits the local plane, without building a graph. Exposed for diagnostics and
    /// tests: with a generator seeded as for <see cref="Sample"/>, it sees the same noise.
    /// </summary>
    /// <param name="input">(N, C, Hin, Win).</param>
    /// <param name="grid">(N, Hout, Wout, 2), normalized (x, y).</param>
    /// <param name="padding">Padding of every sample.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    /// <param name="options">Sampler settings; null = defaults.</param>
    /// <returns>The fit; every tensor (N, C, Hout, Wout), detached. Dispose it (or let a dispose scope do so).</returns>
    public static LinearizedFit Fit(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions? options = null)
    {
        SamplingArguments.Validate(input, grid);
        options ??= new SamplerOptions();
        options.Validate();
        return FitCore(input.detach(), grid.detach(), padding, alignCorners, options);
    }

    private static LinearizedFit FitCore(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = input.shape[0], c = input.shape[1], hIn = input.shape[2], wIn = input.shape[3];
        long hOut = grid.shape[1], wOut = grid.shape[2];
        long m = options.SampleCount - 1;

        var (offsetX, offsetY, sigmaX, sigmaY) = AuxiliaryOffsets.Draw(n, m, hOut, wOut, hIn, wIn, grid.dtype, grid.device, options);
        bool cpu = input.device_type == TorchSharp.DeviceType.CPU;
        Tensor sampleGrid, dx, dy;
        if (cpu)
        {
            // One fused pass; offsetX/Y become the offsets after rounding.
            sampleGrid = SampleGridKernel.Build(grid, offsetX, offsetY);
            (dx, dy) = (offsetX, offsetY);
        }
        else
        {
            var gx = grid[.., .., .., 0].unsqueeze(1); // (N, 1, Hout, Wout)
            var gy = grid[.., .., .., 1].unsqueeze(1);
            var auxX = offsetX.add_(gx); // (N, M, Hout, Wout)
            var auxY = offsetY.add_(gy);
            sampleGrid = stack(new[] { cat(new[] { gx, auxX }, 1), cat(new[] { gy, auxY }, 1) }, -1).view(n, (m + 1) * hOut, wOut, 2);
            (dx, dy) = (auxX.sub_(gx), auxY.sub_(gy)); // the offsets after rounding
        }

        // One sampling call: p0 and the M auxiliary points stacked along the rows of one grid.
        var values = LibTorchSampler.Bilinear(input, sampleGrid, padding, alignCorners).view(n, c, m + 1, hOut, wOut);
        var (a, b, intercept) = cpu
            ? PlaneFitKernel.Solve(values, dx, dy, sigmaX, sigmaY)
            : PlaneFit.Solve(values, dx, dy, sigmaX, sigmaY);

        var fit = new LinearizedFit(values[.., .., 0].clone(), a, b, intercept);
        fit.Center.MoveToOuterDisposeScope();
        fit.SlopeX.MoveToOuterDisposeScope();
        fit.SlopeY.MoveToOuterDisposeScope();
        fit.Intercept.MoveToOuterDisposeScope();
        return fit;
    }
}
