using Ml.Transforms.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Bicubic grid sampling with PyTorch's algorithm (cubic convolution, A = -0.75, over the 4×4 nearest pixels, each tap
/// mapped through the padding mode). TorchSharp 0.107 exposes only nearest and bilinear <c>grid_sample</c>, so the taps
/// are gathered here with libtorch's <c>gather</c>; gradients flow to the input (scatter) and to the grid (through the
/// cubic weights), as in libtorch's own backward. With Border padding, source coordinates are first clamped to
/// [-3, size + 2]: beyond that every tap reads the border pixel anyway (the value and its zero gradient do not change),
/// and an infinite coordinate then gives the border pixel as libtorch's bilinear does, instead of ∞ - ∞ = NaN weights.
/// </summary>
internal static class BicubicSampler
{
    private const double A = -0.75;

    public static Tensor Sample(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners)
    {
        long n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        long hOut = grid.shape[1], wOut = grid.shape[2];

        var x = SourceCoordinates.Unnormalize(grid[.., .., .., 0], w, alignCorners); // (N, Hout, Wout)
        var y = SourceCoordinates.Unnormalize(grid[.., .., .., 1], h, alignCorners);
        if (padding == PaddingMode.Border)
        {
            x = x.Clamped(-3, w + 2);
            y = y.Clamped(-3, h + 2);
        }
        var x0 = x.detach().floor();
        var y0 = y.detach().floor();
        var wx = Weights(x - x0); // (N, Hout, Wout, 4)
        var wy = Weights(y - y0);

        var taps = tensor(new double[] { -1, 0, 1, 2 }, dtype: input.dtype, device: input.device);
        var (ix, vx) = Taps(x0.unsqueeze(-1).Plus(taps), w, padding, alignCorners); // (N, Hout, Wout, 4)
        var (iy, vy) = Taps(y0.unsqueeze(-1).Plus(taps), h, padding, alignCorners);

        var index = iy.unsqueeze(-1).Times(w).Plus(ix.unsqueeze(-2)); // (N, Hout, Wout, 4y, 4x)
        var valid = vy.unsqueeze(-1).logical_and(vx.unsqueeze(-2));
        index = where(valid, index, zeros_like(index));
        var flatIndex = index.reshape(n, 1, hOut * wOut * 16).expand(n, c, -1); // explicit sizes: N = 0 is allowed
        var values = input.reshape(n, c, h * w).gather(2, flatIndex).reshape(n, c, hOut, wOut, 4, 4);
        var weights = (wy.unsqueeze(-1) * wx.unsqueeze(-2) * valid.to(input.dtype)).unsqueeze(1); // (N, 1, Hout, Wout, 4, 4)
        return (values * weights).sum(new long[] { -1, -2 });
    }

    /// <summary>Cubic convolution weights of the 4 taps at offsets -1, 0, 1, 2 for a fraction t in [0, 1).</summary>
    private static Tensor Weights(Tensor t) => stack(new[]
    {
        Far(t.Plus(1)),
        Near(t),
        Near(t.SubtractedFrom(1)),
        Far(t.SubtractedFrom(2)),
    }, -1);

    /// <summary>((A + 2)·d − (A + 3))·d² + 1.</summary>
    private static Tensor Near(Tensor d) => d.Times(A + 2).Minus(A + 3).mul(d).mul(d).Plus(1);

    /// <summary>((A·d − 5A)·d + 8A)·d − 4A.</summary>
    private static Tensor Far(Tensor d) => d.Times(A).Minus(5 * A).mul(d).Plus(8 * A).mul(d).Minus(4 * A);

    /// <summary>Integer tap indices after the padding map, and whether each lies inside the input.</summary>
    private static (Tensor Index, Tensor Valid) Taps(Tensor pixel, long size, PaddingMode padding, bool alignCorners)
    {
        var mapped = SourceCoordinates.ApplyPadding(pixel, size, padding, alignCorners).trunc();
        using var last = (size - 1).ToScalar();
        var valid = mapped.ge(KeptScalars.Zero).logical_and(mapped.le(last));
        return (mapped.to(ScalarType.Int64), valid);
    }
}
