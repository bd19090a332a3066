using Ml.Transforms.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Geometry;

/// <summary>Sampling grids of warps, for <see cref="Sampling.GridSampler.GridSample"/>; differentiable in the parameters.</summary>
public static class WarpGrid
{
    /// <summary>Smallest |w| the perspective divide uses: see <see cref="ToGrid"/>.</summary>
    public const double MinDenominator = 1e-6;

    /// <summary>
    /// The grid that reads, for each output pixel x (in libtorch's normalized frame), the input point M(p)·x — with the
    /// perspective divide for homographies. Zero parameters give exactly <c>affine_grid</c>'s identity grid.
    /// Finite parameters always give a finite grid: where a homography's denominator w has |w| &lt;
    /// <see cref="MinDenominator"/> (the line the warp sends to infinity), it divides by ±MinDenominator instead (the
    /// sign of w, + for 0) and passes no gradient through w there. So a learned warp cannot hand
    /// <see cref="Sampling.GridSampler.GridSample"/> an infinite or NaN coordinate unless its parameters are
    /// non-finite themselves (which GridSample refuses for Border and Reflection padding).
    /// </summary>
    /// <param name="parameters">(N, P) warp parameters.</param>
    /// <param name="family">Their family.</param>
    /// <param name="height">Output height Hout.</param>
    /// <param name="width">Output width Wout.</param>
    /// <param name="alignCorners">As in libtorch's <c>affine_grid</c> / <c>grid_sample</c>; use the sampler's value.</param>
    /// <param name="frameScale">
    /// Size of the canonical frame the warp lives in, as a fraction of the input, centred (see
    /// <c>SpatialTransformerOptions.FrameScale</c>): the grid is M(p)·x scaled by it. Default 1 (the whole input).
    /// </param>
    /// <returns>(N, Hout, Wout, 2), normalized (x, y), on the parameters' device with their dtype.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not a defined <see cref="WarpFamily"/>.</exception>
    public static Tensor ToGrid(Tensor parameters, WarpFamily family, long height, long width, bool alignCorners = false, double frameScale = 1)
    {
        WarpMatrices.CheckParameters(parameters, family, nameof(parameters));
        if (height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(height < 1 ? nameof(height) : nameof(width), $"The output size must be at least 1×1; got {height}×{width}.");
        using var scope = NewDisposeScope();
        long n = parameters.shape[0];
        var matrices = WarpMatrices.ToMatrix(parameters, family);
        var baseGrid = IdentityGrid(height, width, alignCorners, parameters.dtype, parameters.device);
        var homogeneous = cat([baseGrid, ones(1, height, width, 1, dtype: parameters.dtype, device: parameters.device)], 3)
            .view(1, height * width, 3);
        var mapped = homogeneous.matmul(matrices.transpose(1, 2));
        var grid = WarpFamilyTraits.Of(family).IsProjective
            ? mapped[.., .., ..2] / SafeDenominator(mapped[.., .., 2..])
            : mapped[.., .., ..2];
        if (frameScale != 1)
            grid = grid.Times(frameScale);
        return grid.reshape(n, height, width, 2).MoveToOuterDisposeScope();
    }

    /// <summary>w where |w| ≥ <see cref="MinDenominator"/>, else ±MinDenominator with w's sign (+ for 0).</summary>
    private static Tensor SafeDenominator(Tensor w)
    {
        var floor = w.sign().Plus(0.5).sign_().TimesInPlace(MinDenominator);
        using var min = MinDenominator.ToScalar();
        return where(w.abs().lt(min), floor, w);
    }

    /// <summary>libtorch's identity grid (1, H, W, 2): <c>affine_grid</c> of the identity.</summary>
    public static Tensor IdentityGrid(long height, long width, bool alignCorners, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var theta = eye(2, 3, dtype: dtype, device: device).unsqueeze(0);
        return nn.functional.affine_grid(theta, [1, 1, height, width], alignCorners).MoveToOuterDisposeScope();
    }
}
