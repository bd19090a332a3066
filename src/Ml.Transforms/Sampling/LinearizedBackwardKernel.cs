using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// The fused CPU backward of linearized multi-sampling: the grid gradient Σ_c g_c·(a_c, b_c) from the saved slopes in
/// one pass, and the input gradient, which is bilinear's: g scattered onto the four taps of p0 with the bilinear
/// weights (the taps come from <see cref="SourceMap{T}"/> and <see cref="BilinearTaps{T}"/>, as in the forward).
/// </summary>
internal static unsafe class LinearizedBackwardKernel
{
    /// <summary>dL/dgrid from dL/doutput and the fitted slopes.</summary>
    /// <param name="gradOutput">(N, C, Hout, Wout), any strides.</param>
    /// <param name="slopes">(2, N, C, Hout, Wout) contiguous: a then b.</param>
    /// <returns>(N, Hout, Wout, 2).</returns>
    public static Tensor GridGradient(Tensor gradOutput, Tensor slopes) =>
        slopes.dtype == ScalarType.Float64 ? GridGradient<double>(gradOutput, slopes) : GridGradient<float>(gradOutput, slopes);

    /// <summary>dL/dinput: bilinear's input gradient at the query points.</summary>
    /// <param name="gradOutput">(N, C, Hout, Wout), any strides.</param>
    /// <param name="grid">(N, Hout, Wout, 2) contiguous query points.</param>
    /// <param name="inputShape">(N, C, Hin, Win).</param>
    /// <param name="padding">Padding mode of the forward.</param>
    /// <param name="alignCorners">As in the forward.</param>
    /// <returns>(N, C, Hin, Win).</returns>
    public static Tensor InputGradient(Tensor gradOutput, Tensor grid, long[] inputShape, PaddingMode padding, bool alignCorners) =>
        grid.dtype == ScalarType.Float64
            ? InputGradient<double>(gradOutput, grid, inputShape, padding, alignCorners)
            : InputGradient<float>(gradOutput, grid, inputShape, padding, alignCorners);

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

    private static Tensor InputGradient<T>(Tensor gradOutput, Tensor grid, long[] inputShape, PaddingMode padding, bool alignCorners)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long n = inputShape[0], c = inputShape[1], hIn = inputShape[2], wIn = inputShape[3];
        long hOut = grid.shape[1], wOut = grid.shape[2];
        var result = zeros(inputShape, grid.dtype);
        if (result.numel() == 0 || hOut * wOut == 0)
            return result;
        var g = new Strided<T>(gradOutput);
        var pg = (IntPtr)CpuTensorMemory.Pointer<T>(grid);
        var pr = (IntPtr)CpuTensorMemory.Pointer<T>(result);
        var mapX = new SourceMap<T>(wIn, padding, alignCorners);
        var mapY = new SourceMap<T>(hIn, padding, alignCorners);
        // One chunk per item: it owns its gradient planes and adds in a fixed order.
        CpuParallel.For(0, n, n * c * hOut * wOut, item =>
        {
            int lanes = Vector<T>.Count;
            T* weights = stackalloc T[4 * lanes]; // north-west, north-east, south-west, south-east
            T* inside = stackalloc T[4 * lanes]; // all bits set where that tap lies inside the input
            T* corner = stackalloc T[2 * lanes]; // floor(x), floor(y)
            T* gx = stackalloc T[lanes];
            T* gy = stackalloc T[lanes];
            T* target = (T*)pr + item * c * hIn * wIn;
            for (long y = 0; y < hOut; y++)
            {
                T* gridRow = (T*)pg + (item * hOut + y) * wOut * 2;
                for (long x0 = 0; x0 < wOut; x0 += lanes)
                {
                    int count = (int)Math.Min(lanes, wOut - x0);
                    for (int k = 0; k < lanes; k++)
                    {
                        gx[k] = k < count ? gridRow[2 * (x0 + k)] : T.Zero;
                        gy[k] = k < count ? gridRow[2 * (x0 + k) + 1] : T.Zero;
                    }
                    var taps = new BilinearTaps<T>(
                        mapX.Map(Unsafe.ReadUnaligned<Vector<T>>(gx)), mapY.Map(Unsafe.ReadUnaligned<Vector<T>>(gy)), wIn, hIn);
                    Unsafe.WriteUnaligned(weights, taps.NorthWest);
                    Unsafe.WriteUnaligned(weights + lanes, taps.NorthEast);
                    Unsafe.WriteUnaligned(weights + 2 * lanes, taps.SouthWest);
                    Unsafe.WriteUnaligned(weights + 3 * lanes, taps.SouthEast);
                    Unsafe.WriteUnaligned(inside, taps.InNorthWest);
                    Unsafe.WriteUnaligned(inside + lanes, taps.InNorthEast);
                    Unsafe.WriteUnaligned(inside + 2 * lanes, taps.InSouthWest);
                    Unsafe.WriteUnaligned(inside + 3 * lanes, taps.InSouthEast);
                    Unsafe.WriteUnaligned(corner, taps.X0);
                    Unsafe.WriteUnaligned(corner + lanes, taps.Y0);
                    for (int k = 0; k < count; k++)
                        Scatter(target, g, item, y, x0 + k, c, hIn * wIn, wIn, weights + k, inside + k, corner + k, lanes);
                }
            }
        });
        return result;
    }

    /// <summary>Adds dL/doutput of one output pixel, every channel, to the input taps it read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<T>(T* target, in Strided<T> g, long item, long y, long x, long channels, long plane, long width,
        T* weights, T* inside, T* corner, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Lanes outside the input (NaN included) have no tap inside, so the integer corner is only used when valid.
        bool northWest = !T.IsZero(inside[0]), northEast = !T.IsZero(inside[lanes]);
        bool southWest = !T.IsZero(inside[2 * lanes]), southEast = !T.IsZero(inside[3 * lanes]);
        if (!(northWest || northEast || southWest || southEast))
            return;
        long offset = long.CreateTruncating(corner[lanes]) * width + long.CreateTruncating(corner[0]);
        for (long ch = 0; ch < channels; ch++)
        {
            T value = g.At(item, ch, y, x);
            T* at = target + ch * plane + offset;
            if (northWest) at[0] += weights[0] * value;
            if (northEast) at[1] += weights[lanes] * value;
            if (southWest) at[width] += weights[2 * lanes] * value;
            if (southEast) at[width + 1] += weights[3 * lanes] * value;
        }
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

        /// <summary>Element [n, c, y, x].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T At(long n, long c, long y, long x) => ((T*)_base)[n * _s0 + c * _s1 + y * _s2 + x * _s3];

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
