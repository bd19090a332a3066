using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Standard normal pairs for the auxiliary offsets. libtorch's CPU generator is serial (Mersenne Twister) and costs
/// more than the whole bilinear forward + backward at the shapes that matter, so on the CPU the normals come from a
/// counter-seeded xoshiro256** stream per chunk (24-bit uniforms) written straight into a tensor (deterministic
/// whatever the thread count) and a Box–Muller transform in libtorch's vectorized kernels. The streams are seeded by
/// ONE draw from the libtorch generator, which thus still decides the noise (seed it to repeat a run) and advances on
/// every call.
/// On other devices libtorch's own <c>randn</c> runs there.
/// </summary>
internal static unsafe class GaussianNoise
{
    private const int ChunkPairs = 1 << 15;

    /// <summary>Two independent tensors of <paramref name="shape"/> holding N(0, 1) values.</summary>
    public static (Tensor X, Tensor Y) StandardPair(long[] shape, ScalarType dtype, Device device, Generator? generator)
    {
        if (device.type != TorchSharp.DeviceType.CPU)
        {
            var both = generator is null
                ? randn(shape.Prepend(2).ToArray(), dtype, device)
                : randn(shape.Prepend(2).ToArray(), dtype, generator.device, generator: generator).to(device);
            return (both[0], both[1]);
        }

        ulong seed = (ulong)randint(0, long.MaxValue, new long[] { 1 }, ScalarType.Int64, generator?.device ?? CPU, generator: generator).item<long>();
        long count = shape.Aggregate(1L, (p, q) => p * q);
        var uniforms = empty(new[] { 2, count }, ScalarType.Float32);
        var pointer = (IntPtr)CpuTensorMemory.Pointer<float>(uniforms);
        int chunks = (int)((count + ChunkPairs - 1) / ChunkPairs);
        CpuParallel.For(0, chunks, chunk =>
        {
            long start = (long)chunk * ChunkPairs, end = Math.Min(start + ChunkPairs, count);
            float* radius = (float*)pointer, angle = (float*)pointer + count;
            var rng = new Xoshiro256StarStar(seed, (ulong)chunk);
            for (long i = start; i < end; i++)
            {
                ulong bits = rng.Next();
                radius[i] = ((bits >> 40) + 1) * (1f / (1 << 24)); // (0, 1]: the log below is finite
                angle[i] = ((bits >> 16) & 0xFFFFFF) * (float)(2 * Math.PI / (1 << 24));
            }
        });
        // Box–Muller with libtorch's vectorized, multi-threaded kernels, in place where possible.
        var r = uniforms[0].log_().mul_(-2).sqrt_();
        var x = uniforms[1].cos().mul_(r);
        var y = uniforms[1].sin_().mul_(r);
        return dtype == ScalarType.Float32 ? (x.view(shape), y.view(shape)) : (x.view(shape).to(dtype), y.view(shape).to(dtype));
    }

    /// <summary>xoshiro256** (Blackman and Vigna), its state set by SplitMix64 from (seed, stream).</summary>
    private struct Xoshiro256StarStar
    {
        private ulong _s0, _s1, _s2, _s3;

        public Xoshiro256StarStar(ulong seed, ulong stream)
        {
            ulong x = seed ^ (stream * 0xD1B54A32D192ED03UL);
            _s0 = SplitMix(ref x);
            _s1 = SplitMix(ref x);
            _s2 = SplitMix(ref x);
            _s3 = SplitMix(ref x);
        }

        public ulong Next()
        {
            ulong result = RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }

        private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

        private static ulong SplitMix(ref ulong x)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
