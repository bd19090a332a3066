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

        bool needsGradient = is_grad_enabled() && (input.requires_grad || grid.requires_grad);
        if (!needsGradient)
            return LibTorchSampler.Bilinear(input, grid, padding, alignCorners);

        using var scope = NewDisposeScope();
        var fixedGrid = grid.detach();
        // With an input that needs its gradient, p0 is sampled with the graph (bilinear's input gradient) and only the
        // K - 1 auxiliary points without; otherwise all K points go through one sampling call.
        Tensor? center = input.requires_grad ? LibTorchSampler.Bilinear(input, fixedGrid, padding, alignCorners) : null;
        var fit = FitCore(input.detach(), fixedGrid, padding, alignCorners, options, center?.detach());

        var value = center ?? fit.Center;
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
        using var noGrad = no_grad();
        return FitCore(input.detach(), grid.detach(), padding, alignCorners, options, center: null);
    }

    private static LinearizedFit FitCore(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options, Tensor? center)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = input.shape[0], c = input.shape[1], hIn = input.shape[2], wIn = input.shape[3];
        long hOut = grid.shape[1], wOut = grid.shape[2];
        long m = options.SampleCount - 1;

        var (offsets, sigmaX, sigmaY) = AuxiliaryOffsets.Draw(n, m, hOut, wOut, hIn, wIn, grid.dtype, grid.device, options);
        var auxGrid = (grid.unsqueeze(1) + offsets).reshape(n, m * hOut, wOut, 2);
        Tensor centerValues, auxValues;
        if (center is null)
        {
            var all = LibTorchSampler.Bilinear(input, cat(new[] { grid, auxGrid }, 1), padding, alignCorners);
            centerValues = all[.., .., ..(int)hOut, ..];
            auxValues = all[.., .., (int)hOut.., ..];
        }
        else
        {
            centerValues = center;
            auxValues = LibTorchSampler.Bilinear(input, auxGrid, padding, alignCorners);
        }
        var dv = auxValues.reshape(n, c, m, hOut, wOut) - centerValues.unsqueeze(2);

        // The offsets as they really are after rounding (aux - p0), in units of their standard deviation.
        var realOffsets = auxGrid.reshape(n, m, hOut, wOut, 2) - grid.unsqueeze(1);
        var dx = realOffsets[.., .., .., .., 0];
        var dy = realOffsets[.., .., .., .., 1];
        var weight = dx.abs().le(1).logical_and(dy.abs().le(1)).to(input.dtype);
        var (a, b, intercept) = PlaneFit.Solve(dx / sigmaX, dy / sigmaY, weight, dv);

        var fit = new LinearizedFit(centerValues.clone(), a / sigmaX, b / sigmaY, intercept);
        fit.Center.MoveToOuterDisposeScope();
        fit.SlopeX.MoveToOuterDisposeScope();
        fit.SlopeY.MoveToOuterDisposeScope();
        fit.Intercept.MoveToOuterDisposeScope();
        return fit;
    }
}
