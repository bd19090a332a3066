using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Linearized sampling composed from libtorch ops: the path on devices other than the CPU, and on the CPU the
/// reference the fused kernels are tested against (same noise from the same generator state, see
/// <see cref="GaussianNoise"/>). All K points go through one bilinear <c>grid_sample</c> on the detached grid, the
/// plane is fitted by <see cref="PlaneFit"/>, and the gradient reaches the grid straight-through.
/// </summary>
internal static class LinearizedComposition
{
    /// <summary>Forward value with the linearized gradient to the grid and bilinear's to the input.</summary>
    /// <param name="input">(N, C, Hin, Win).</param>
    /// <param name="grid">(N, Hout, Wout, 2), normalized (x, y).</param>
    /// <param name="padding">Padding of every sample.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    /// <param name="options">Validated sampler settings.</param>
    /// <returns>(N, C, Hout, Wout).</returns>
    public static Tensor Sample(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        using var scope = NewDisposeScope();
        var fixedGrid = grid.detach();
        // An input that needs its gradient gets bilinear's through p0: one more (identical) sample of p0 with the graph.
        var fit = Fit(input.detach(), fixedGrid, padding, alignCorners, options);
        var value = input.requires_grad ? LibTorchSampler.Bilinear(input, fixedGrid, padding, alignCorners) : fit.Center;
        if (options.AddFittedIntercept)
            value = value.Plus(fit.Intercept);
        if (grid.requires_grad)
        {
            // Straight-through: (grid - grid.detach()) is exactly zero, so the value is unchanged, but its gradient
            // routes dL/dout·(a, b) to the grid. An infinite coordinate (Border padding) would give inf - inf = NaN:
            // there the difference is replaced by 0, and so is the gradient, as libtorch's clip gives.
            var delta = grid - fixedGrid;
            if (padding == PaddingMode.Border)
                delta = where(fixedGrid.isfinite(), delta, zeros_like(delta));
            value = value
                .Plus(fit.SlopeX * delta[.., .., .., 0].unsqueeze(1))
                .Plus(fit.SlopeY * delta[.., .., .., 1].unsqueeze(1));
        }
        return value.MoveToOuterDisposeScope();
    }

    /// <summary>Draws the auxiliary samples and fits the local plane, without building a graph.</summary>
    /// <param name="input">(N, C, Hin, Win), detached.</param>
    /// <param name="grid">(N, Hout, Wout, 2), detached.</param>
    /// <param name="padding">Padding of every sample.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    /// <param name="options">Validated sampler settings.</param>
    /// <returns>The fit; every tensor (N, C, Hout, Wout).</returns>
    public static LinearizedFit Fit(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = input.shape[0], c = input.shape[1], hIn = input.shape[2], wIn = input.shape[3];
        long hOut = grid.shape[1], wOut = grid.shape[2];
        long m = options.SampleCount - 1;

        var (offsetX, offsetY, sigmaX, sigmaY) = AuxiliaryOffsets.Draw(n, m, hOut, wOut, hIn, wIn, grid.dtype, grid.device, options);
        var gx = grid[.., .., .., 0].unsqueeze(1); // (N, 1, Hout, Wout)
        var gy = grid[.., .., .., 1].unsqueeze(1);
        var auxX = offsetX.Plus(gx); // (N, M, Hout, Wout)
        var auxY = offsetY.Plus(gy);
        var sampleGrid = stack(new[] { cat(new[] { gx, auxX }, 1), cat(new[] { gy, auxY }, 1) }, -1).view(n, (m + 1) * hOut, wOut, 2);
        // The fit uses the offsets after rounding, (p0 + e) - p0; where p0 is infinite, the drawn e.
        var dx = auxX - gx;
        var dy = auxY - gy;
        dx = where(dx.isfinite(), dx, offsetX);
        dy = where(dy.isfinite(), dy, offsetY);

        // One sampling call: p0 and the M auxiliary points stacked along the rows of one grid.
        var values = LibTorchSampler.Bilinear(input, sampleGrid, padding, alignCorners).view(n, c, m + 1, hOut, wOut);
        var (a, b, intercept) = PlaneFit.Solve(values, dx, dy, sigmaX, sigmaY);

        var fit = new LinearizedFit(values[.., .., 0].clone(), a, b, intercept);
        fit.Center.MoveToOuterDisposeScope();
        fit.SlopeX.MoveToOuterDisposeScope();
        fit.SlopeY.MoveToOuterDisposeScope();
        fit.Intercept.MoveToOuterDisposeScope();
        return fit;
    }
}
