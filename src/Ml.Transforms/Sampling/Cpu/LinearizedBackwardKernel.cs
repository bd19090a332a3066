using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// The fused CPU backward of linearized multi-sampling: the grid gradient Σ_c g_c·(a_c, b_c) from the saved slopes, in
/// one pass over the (N, C, Hout, Wout) arrays. (The input's gradient is bilinear's and comes from libtorch's own
/// bilinear backward: see <see cref="LinearizedFunction"/>.)
/// </summary>
internal static unsafe class LinearizedBackwardKernel
{
    /// <summary>dL/dgrid from dL/doutput and the fitted slopes.</summary>
    /// <param name="gradOutput">(N, C, Hout, Wout), any strides.</param>
    /// <param name="slopes">(2, N, C, Hout, Wout) contiguous: a then b.</param>
    /// <returns>(N, Hout, Wout, 2).</returns>
    public static Tensor GridGradient(Tensor gradOutput, Tensor slopes) =>
        slopes.dtype == ScalarType.Float64 ? GridGradient<double>(gradOutput, slopes) : GridGradient<float>(gradOutput, slopes);

    private static Tensor GridGradient<T>(Tensor gradOutput, Tensor slopes) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long n = slopes.shape[1], c = slopes.shape[2], h = slopes.shape[3], w = slopes.shape[4];
        var result = empty(new[] { n, h, w, 2 }, slopes.dtype);
        if (result.numel() == 0)
            return result;
        var g = new Strided<T>(gradOutput);
        var pa = (IntPtr)CpuTensorMemory.Pointer<T>(slopes);
        var pr = (IntPtr)CpuTensorMemory.Pointer<T>(result);
        long plane = h * w, count = n * c * plane;
        long rowsPerChunk = Math.Max(1, 4096 / w);
        CpuParallel.For(0, (n * h + rowsPerChunk - 1) / rowsPerChunk, count / 4, chunk =>
        {
            int lanes = Vector<T>.Count;
            T* ga = stackalloc T[lanes];
            T* gb = stackalloc T[lanes];
            for (long row = chunk * rowsPerChunk; row < Math.Min(n * h, (chunk + 1) * rowsPerChunk); row++)
            {
                long item = row / h, y = row % h;
                T* output = (T*)pr + row * w * 2;
                // A last partial vector is redone as the full vector ending at the row's end (same values, rewritten).
                for (long start = 0; start < w; start += lanes)
                {
                    long x0 = w >= lanes ? Math.Min(start, w - lanes) : start;
                    var sumA = Vector<T>.Zero;
                    var sumB = Vector<T>.Zero;
                    for (long ch = 0; ch < c; ch++)
                    {
                        long at = ((item * c + ch) * h + y) * w + x0;
                        var grad = g.Row(item, ch, y, x0, (int)Math.Min(lanes, w - x0));
                        sumA = VectorMath.MultiplyAdd(grad, Read((T*)pa + at, w - x0), sumA);
                        sumB = VectorMath.MultiplyAdd(grad, Read((T*)pa + count + at, w - x0), sumB);
                    }
                    Unsafe.WriteUnaligned(ga, sumA);
                    Unsafe.WriteUnaligned(gb, sumB);
                    for (int k = 0; k < lanes && x0 + k < w; k++)
                    {
                        output[2 * (x0 + k)] = ga[k];
                        output[2 * (x0 + k) + 1] = gb[k];
                    }
                }
            }
        });
        return result;
    }

    /// <summary>Up to one vector from <paramref name="at"/>, zeros past <paramref name="available"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Read<T>(T* at, long available) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        available >= Vector<T>.Count ? Unsafe.ReadUnaligned<Vector<T>>(at) : ReadPart(at, available, 1);

    /// <summary><paramref name="count"/> elements <paramref name="stride"/> apart as one vector, zeros after them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<T> ReadPart<T>(T* at, long count, long stride) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T* values = stackalloc T[Vector<T>.Count];
        for (int k = 0; k < Vector<T>.Count; k++)
            values[k] = k < count ? at[k * stride] : T.Zero;
        return Unsafe.ReadUnaligned<Vector<T>>(values);
    }

    /// <summary>
    /// dL/doutput with whatever strides autograd hands over (a <c>sum()</c> gives an expanded scalar: all strides 0),
    /// read as vectors along the last dimension.
    /// </summary>
    private readonly struct Strided<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly IntPtr _base;
        private readonly long _s0, _s1, _s2, _s3;

        public Strided(Tensor tensor)
        {
            if (tensor.dtype != (typeof(T) == typeof(float) ? ScalarType.Float32 : ScalarType.Float64) || tensor.device_type != TorchSharp.DeviceType.CPU)
                throw new ArgumentException($"Internal error: the gradient of the linearized sampler is {tensor.dtype} on {tensor.device}.");
            var strides = tensor.stride();
            (_s0, _s1, _s2, _s3) = (strides[0], strides[1], strides[2], strides[3]);
            using var origin = tensor.as_strided(new long[] { 1 }, new long[] { 1 }, tensor.storage_offset());
            _base = (IntPtr)CpuTensorMemory.Pointer<T>(origin);
        }

        /// <summary>Elements [n, c, y, x0 .. x0 + count) as one vector, zeros after them.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<T> Row(long n, long c, long y, long x0, int count)
        {
            T* at = (T*)_base + n * _s0 + c * _s1 + y * _s2 + x0 * _s3;
            if (count == Vector<T>.Count && _s3 == 1)
                return Unsafe.ReadUnaligned<Vector<T>>(at);
            if (count == Vector<T>.Count && _s3 == 0)
                return new Vector<T>(*at);
            return ReadPart(at, count, _s3);
        }
    }
}
