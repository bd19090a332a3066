using static TorchSharp.torch;

namespace Ml.Transforms.Devices;

/// <summary>
/// The problem <see cref="TorchNumerics"/> evaluates: a small seeded network with the layers this library trains —
/// conv 3→6 7×7, ReLU, conv 6→24 7×7, ReLU, 2×2 max-pool, conv 24→12 3×3 (padding 1), linear — on (50, 3, 32, 32)
/// images; loss = sum of squared outputs. It is evaluated in float32 and in float64 on the same device and the outputs
/// and gradients compared. Draws from its own generator: the global libtorch seed is not touched.
/// </summary>
internal static class ConvolutionProbe
{
    private const ulong Seed = 20191027;

    public static ConvolutionErrors Measure(Device device)
    {
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        using var generator = new Generator(Seed);
        Tensor Draw(double scale, params long[] shape) => randn(shape, ScalarType.Float64, generator: generator).Times(scale).to(device);
        var tensors = new[]
        {
            Draw(1, 50, 3, 32, 32),
            Draw(1 / Math.Sqrt(3 * 49), 6, 3, 7, 7), Draw(0.1, 6),
            Draw(1 / Math.Sqrt(6 * 49), 24, 6, 7, 7), Draw(0.1, 24),
            Draw(1 / Math.Sqrt(24 * 9), 12, 24, 3, 3), Draw(0.1, 12),
            Draw(1 / Math.Sqrt(12 * 10 * 10), 8, 12 * 10 * 10), Draw(0.1, 8),
        };
        var reference = Evaluate(tensors, ScalarType.Float64);
        var single = Evaluate(tensors, ScalarType.Float32);
        double weights = 0;
        foreach (int i in new[] { 1, 3, 5, 7 })
            weights = Math.Max(weights, RelativeError(single[i + 1], reference[i + 1]));
        return new ConvolutionErrors(RelativeError(single[0], reference[0]), RelativeError(single[1], reference[1]), weights);
    }

    /// <summary>[output, d input, d w1, d b1, ..., d w4, d b4] in float64.</summary>
    private static Tensor[] Evaluate(Tensor[] tensors, ScalarType dtype)
    {
        var leaves = tensors.Select(t => t.to(dtype).detach().requires_grad_(true)).ToArray();
        var x = nn.functional.relu(nn.functional.conv2d(leaves[0], leaves[1], leaves[2]));
        x = nn.functional.relu(nn.functional.conv2d(x, leaves[3], leaves[4]));
        x = nn.functional.max_pool2d(x, 2);
        x = nn.functional.conv2d(x, leaves[5], leaves[6], padding: [1, 1]);
        var output = nn.functional.linear(x.flatten(1), leaves[7], leaves[8]);
        output.square().sum().backward();
        return [output.detach().to(ScalarType.Float64), .. leaves.Select(l => l.grad!.to(ScalarType.Float64))];
    }

    private static double RelativeError(Tensor value, Tensor reference)
    {
        double error = (value - reference).abs().max().item<double>() / reference.abs().max().item<double>();
        return double.IsFinite(error) ? error : double.PositiveInfinity;
    }
}
