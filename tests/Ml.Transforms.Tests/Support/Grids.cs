using Ml.Transforms.Devices;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Support;

/// <summary>Seeded inputs and grids for sampler tests.</summary>
internal static class Grids
{
    public static readonly bool[] AlignCornersValues = { false, true };

    public static readonly ScalarType[] FloatTypes = { ScalarType.Float32, ScalarType.Float64 };

    public static readonly PaddingMode[] Paddings = { PaddingMode.Zeros, PaddingMode.Border, PaddingMode.Reflection };

    /// <summary>Every (dtype, alignCorners, padding) combination.</summary>
    public static IEnumerable<(ScalarType Dtype, bool Align, PaddingMode Padding)> Configurations =>
        from dtype in FloatTypes from align in AlignCornersValues from padding in Paddings select (dtype, align, padding);

    /// <summary>Random image (N, C, H, W) in [0, 1).</summary>
    public static Tensor Image(long n, long c, long h, long w, ScalarType dtype, long seed)
    {
        using var g = new Generator((ulong)seed);
        return rand(new[] { n, c, h, w }, dtype, generator: g);
    }

    /// <summary>Random grid (N, Hout, Wout, 2) in [-extent, extent).</summary>
    public static Tensor Random(long n, long hOut, long wOut, ScalarType dtype, long seed, double extent = 1.1)
    {
        using var g = new Generator((ulong)seed);
        return rand(new[] { n, hOut, wOut, 2 }, dtype, generator: g).Times(2).Minus(1).Times(extent);
    }

    /// <summary>affine_grid of [[s, 0, tx], [0, s, ty]] for every item.</summary>
    public static Tensor Affine(long n, long hOut, long wOut, double scale, double tx, double ty, ScalarType dtype, bool alignCorners = false)
    {
        var theta = tensor(new[] { scale, 0, tx, 0, scale, ty }, dtype).reshape(1, 2, 3).expand(n, 2, 3).contiguous();
        return nn.functional.affine_grid(theta, new[] { n, 1, hOut, wOut }, alignCorners);
    }
}
