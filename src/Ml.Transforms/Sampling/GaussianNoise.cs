using Ml.Transforms.Sampling.Cpu;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Standard normal pairs for the auxiliary offsets of the libtorch composition (<see cref="LinearizedComposition"/>).
/// On the CPU they are <see cref="CounterNoise"/>'s pairs with the fused kernel's numbering — element [n, j, y, x]
/// is pair ((n·H + y)·W + x)·M + j of the stream <see cref="NoiseSeed.Draw"/> picks — so the composition and
/// <see cref="LinearizedKernel"/> see the same noise from the same generator state. On other devices libtorch's own
/// <c>randn</c> runs there.
/// </summary>
internal static unsafe class GaussianNoise
{
    /// <summary>Two independent (N, M, H, W) tensors of N(0, 1) values in <paramref name="dtype"/>.</summary>
    public static (Tensor X, Tensor Y) StandardPair(long n, long m, long h, long w, ScalarType dtype, Device device, Generator? generator)
    {
        var shape = new[] { n, m, h, w };
        if (device.type != TorchSharp.DeviceType.CPU)
        {
            var both = generator is null
                ? randn(shape.Prepend(2).ToArray(), dtype, device)
                : randn(shape.Prepend(2).ToArray(), dtype, generator.device, generator: generator).to(device);
            return (both[0], both[1]);
        }

        ulong seed = NoiseSeed.Draw(generator);
        var pairs = empty(new[] { 2, n, m, h, w }, ScalarType.Float32);
        float* x = CpuTensorMemory.Pointer<float>(pairs);
        float* y = x + n * m * h * w;
        for (long item = 0; item < n; item++)
        for (long j = 0; j < m; j++)
        for (long row = 0; row < h; row++)
        {
            long at = ((item * m + j) * h + row) * w;
            ulong first = (ulong)(((item * h + row) * w) * m + j);
            CounterNoise.Fill(seed, first, (ulong)m, (int)w, x + at, y + at);
        }
        var converted = dtype == ScalarType.Float32 ? pairs : pairs.to(dtype);
        return (converted[0], converted[1]);
    }
}
