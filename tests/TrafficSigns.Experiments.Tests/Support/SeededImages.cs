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
        Tensor Blob(double cx, double cy, double s) => exp(-((x - cx).square() + (y - cy).square()) / s);
        var r = 0.5 + 0.2 * sin(3 * x + 2 * y) + 0.2 * Blob(0.3, -0.2, 0.1);
        var g = 0.5 + 0.2 * cos(2 * x - 3 * y) - 0.2 * Blob(-0.3, 0.3, 0.15);
        var b = 0.4 + 0.3 * Blob(-0.4, -0.3, 0.08) + 0.15 * sin(4 * y) * cos(2 * x);
        return stack([r, g, b]).unsqueeze(0).to(dtype).MoveToOuterDisposeScope();
    }
}
