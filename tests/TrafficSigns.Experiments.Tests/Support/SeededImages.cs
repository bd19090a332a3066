using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Tests.Support;

/// <summary>Seeded synthetic images for the experiments' tests.</summary>
internal static class SeededImages
{
    /// <summary>Random image (N, C, H, W) in [0, 1).</summary>
    public static Tensor Random(long n, long c, long h, long w, ScalarType dtype, long seed)
    {
        using var g = new Generator((ulong)seed);
        return rand(new[] { n, c, h, w }, dtype, generator: g);
    }

    /// <summary>(1, 3, H, W): smooth waves and blobs, values in about [0.1, 0.9].</summary>
    public static Tensor Smooth(long height, long width, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var y = linspace(-1, 1, height, dtype: ScalarType.Float64).view(height, 1);
        var x = linspace(-1, 1, width, dtype: ScalarType.Float64).view(1, width);
        // exp(-((x - cx)² + (y - cy)²) / s)
        Tensor Blob(double cx, double cy, double s) => exp(x.Minus(cx).square().Plus(y.Minus(cy).square()).neg().Over(s));
        // r = 0.5 + 0.2 sin(3x + 2y) + 0.2 blob, g = 0.5 + 0.2 cos(2x - 3y) - 0.2 blob, b = 0.4 + 0.3 blob + 0.15 sin(4y) cos(2x)
        var r = sin(x.Times(3).Plus(y.Times(2))).Times(0.2).Plus(0.5).Plus(Blob(0.3, -0.2, 0.1).Times(0.2));
        var g = cos(x.Times(2) - y.Times(3)).Times(0.2).Plus(0.5) - Blob(-0.3, 0.3, 0.15).Times(0.2);
        var b = Blob(-0.4, -0.3, 0.08).Times(0.3).Plus(0.4).Plus(sin(y.Times(4)).Times(0.15) * cos(x.Times(2)));
        return stack([r, g, b]).unsqueeze(0).to(dtype).MoveToOuterDisposeScope();
    }
}
