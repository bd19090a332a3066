using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// The fused CPU forward of linearized multi-sampling. Per output pixel, in one pass: draw the K − 1 offsets
/// (<see cref="CounterNoise"/>, pair number ((n·Hout + y)·Wout + x)·(K − 1) + j of the call's stream), sample the K
/// points bilinearly straight from the input, accumulate the 3×3 normal equations of <see cref="PlaneFit"/>, solve,
/// and write the value and the fitted plane. The (N, K·Hout, Wout, 2) sample grid and the (N, C, K, Hout, Wout)
/// sample array of the libtorch composition are never built. SIMD over runs of output pixels, runs in parallel; every
/// pixel's result depends only on its inputs and its counters, so not on the thread count.
/// </summary>
internal static unsafe partial class LinearizedKernel
{
    /// <param name="input">(N, C, Hin, Win) float32 or float64 CPU; each item contiguous, any batch stride.</param>
    /// <param name="grid">(N, Hout, Wout, 2) contiguous, the input's dtype.</param>
    /// <param name="settings">Padding, alignment, K, noise scales and seed.</param>
    /// <param name="outputs">Where to write.</param>
    public static void Run(Tensor input, Tensor grid, LinearizedSettings settings, Outputs outputs)
    {
        if (input.dtype == ScalarType.Float32)
            Run<float>(input, grid, settings, outputs);
        else if (input.dtype == ScalarType.Float64)
            Run<double>(input, grid, settings, outputs);
        else
            throw new ArgumentException($"Internal error: the fused linearized kernel handles float32 and float64, not {input.dtype}.", nameof(input));
    }

    private static void Run<T>(Tensor input, Tensor grid, LinearizedSettings s, Outputs o)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var layout = new Layout(input, grid);
        if (layout.Items == 0 || layout.Pixels == 0)
            return;
        var pointers = new Pointers(
            (IntPtr)CpuTensorMemory.ItemPointer<T>(input, out long batchStride),
            batchStride,
            (IntPtr)CpuTensorMemory.Pointer<T>(grid),
            Address<T>(o.Value), Address<T>(o.Center), Address<T>(o.SlopeX), Address<T>(o.SlopeY), Address<T>(o.Intercept), o.ValueHasCenter);
        if (typeof(T) == typeof(float) && PairedTaps.IsSupported && layout.WidthIn >= 2)
            Segments<float, PairedTaps>(layout, pointers, s);
        else
            Segments<T, BilinearTaps<T>>(layout, pointers, s);
    }

    /// <summary>
    /// Output pixels a segment at a time, segments in parallel. A segment is a run of an item's pixels in row-major
    /// order (rows of any width are one sequence, so narrow rows cost no per-row work): <see cref="SegmentLength"/> of them, or
    /// the item's rest (up to twice that) for its last one.
    /// </summary>
    private static void Segments<T, TTaps>(Layout layout, Pointers pointers, LinearizedSettings s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TTaps : struct, ITaps<T, TTaps>
    {
        long perItem = Math.Max(1, layout.Pixels / SegmentLength);
        // Scratch per segment: the channels' running sums (4·C vectors of T) and its noise (2·(K − 1) rows of floats).
        long sumsBytes = 4 * layout.Channels * Vector<T>.Count * sizeof(T);
        long bytes = sumsBytes + 2L * (s.SampleCount - 1) * NoiseRow * sizeof(float);
        long work = layout.Items * layout.Pixels * s.SampleCount * layout.Channels;
        CpuParallel.For(0, layout.Items * perItem, work, index =>
        {
            long item = index / perItem, segment = index % perItem;
            long first = segment * SegmentLength, end = segment == perItem - 1 ? layout.Pixels : first + SegmentLength;
            byte* stack = stackalloc byte[bytes <= MaxStackBytes ? (int)bytes : 0];
            byte[]? heap = bytes > MaxStackBytes ? new byte[bytes] : null;
            fixed (byte* pinned = heap)
            {
                byte* scratch = heap is null ? stack : pinned;
                Segment<T, TTaps>(item, first, end, (T*)scratch, (float*)(scratch + sumsBytes), layout, pointers, s);
            }
        });
    }

    private const long MaxStackBytes = 64 * 1024;

    /// <summary>Output pixels per segment (the last of an item takes the rest).</summary>
    private const int SegmentLength = 256;

    /// <summary>Floats per noise row in the scratch: the longest segment and slack for whole vectors.</summary>
    private static int NoiseRow => 2 * SegmentLength + 2 * Vector<float>.Count;

    /// <summary>Pixels [first, end) of one item: their noise first, then a vector of pixels at a time.</summary>
    private static void Segment<T, TTaps>(long n, long first, long end, T* scratch, float* noiseX, in Layout layout, in Pointers p,
        in LinearizedSettings s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TTaps : struct, ITaps<T, TTaps>
    {
        int lanes = Vector<T>.Count;
        long c = layout.Channels, m = s.SampleCount - 1, plane = layout.HeightIn * layout.WidthIn, pixels = layout.Pixels;
        T* item = (T*)p.Input + n * p.BatchStride;
        T* grid = (T*)p.Grid + n * pixels * 2;
        float* noiseY = noiseX + m * NoiseRow;

        // The noise first, all (K − 1) rows of it: independent draws the CPU overlaps (16 lanes at a time on
        // AVX-512), where draws chained to each sample would wait on each other. Pair ((n·Hout + y)·Wout + x)·(K − 1) + j
        // is sample j of pixel (y, x); whole vectors are drawn, as the reads below take (float64: half of them).
        int drawn = (int)((end - first + Vector<float>.Count - lanes + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count);
        for (long j = 0; j < m; j++)
            CounterNoise.Fill(s.Seed, (ulong)((n * pixels + first) * m + j), (ulong)m, drawn, noiseX + j * NoiseRow, noiseY + j * NoiseRow);

        var mapX = new SourceMap<T>(layout.WidthIn, s.Padding, s.AlignCorners);
        var mapY = new SourceMap<T>(layout.HeightIn, s.Padding, s.AlignCorners);
        var sigmaX = new Vector<T>(T.CreateTruncating(s.SigmaX));
        var sigmaY = new Vector<T>(T.CreateTruncating(s.SigmaY));
        var fitScaleX = new Vector<T>(T.CreateTruncating(s.FitScaleX));
        var fitScaleY = new Vector<T>(T.CreateTruncating(s.FitScaleY));
        var conditioning = new Vector<T>(T.CreateTruncating(PlaneFit.MinConditioning));
        var center = scratch;
        var sumX = scratch + c * lanes;
        var sumY = sumX + c * lanes;
        var sum1 = sumY + c * lanes;
        T* gx = stackalloc T[lanes];
        T* gy = stackalloc T[lanes];

        for (long start = first; start < end; start += lanes)
        {
            // A last partial vector is redone as the full vector ending at the segment's end: same pixels, same
            // counters, same values rewritten, and full-width stores.
            long x0 = end - first >= lanes ? Math.Min(start, end - lanes) : start;
            int count = (int)Math.Min(lanes, end - x0);
            long noiseAt = x0 - first;
            for (int k = 0; k < lanes; k++)
            {
                gx[k] = k < count ? grid[2 * (x0 + k)] : T.Zero;
                gy[k] = k < count ? grid[2 * (x0 + k) + 1] : T.Zero;
            }
            var px0 = Unsafe.ReadUnaligned<Vector<T>>(gx);
            var py0 = Unsafe.ReadUnaligned<Vector<T>>(gy);

            var taps = TTaps.Create(mapX.Map(px0), mapY.Map(py0), layout.WidthIn, layout.HeightIn);
            for (long ch = 0; ch < c; ch++)
            {
                Store(center + ch * lanes, taps.Interpolate(item + ch * plane));
                Store(sumX + ch * lanes, Vector<T>.Zero);
                Store(sumY + ch * lanes, Vector<T>.Zero);
                Store(sum1 + ch * lanes, Vector<T>.Zero);
            }

            Vector<T> sxx = default, sxy = default, syy = default, sx = default, sy = default, s1 = default;
            for (long j = 0; j < m; j++)
            {
                var ex = FromSingle<T>(Unsafe.ReadUnaligned<Vector<float>>(noiseX + j * NoiseRow + noiseAt)) * sigmaX;
                var ey = FromSingle<T>(Unsafe.ReadUnaligned<Vector<float>>(noiseY + j * NoiseRow + noiseAt)) * sigmaY;
                var px = px0 + ex;
                var py = py0 + ey;
                // The fit uses the offsets after rounding, (p0 + e) - p0; where p0 is infinite, the drawn e.
                var dx = px - px0;
                var dy = py - py0;
                dx = Vector.ConditionalSelect(Vector.Equals(dx - dx, Vector<T>.Zero), dx, ex);
                dy = Vector.ConditionalSelect(Vector.Equals(dy - dy, Vector<T>.Zero), dy, ey);
                var inside = Vector.BitwiseAnd(Vector.LessThanOrEqual(Vector.Abs(dx), Vector<T>.One), Vector.LessThanOrEqual(Vector.Abs(dy), Vector<T>.One));
                var u = Vector.ConditionalSelect(inside, dx * fitScaleX, Vector<T>.Zero);
                var v = Vector.ConditionalSelect(inside, dy * fitScaleY, Vector<T>.Zero);
                sxx = VectorMath.MultiplyAdd(u, u, sxx);
                sxy = VectorMath.MultiplyAdd(u, v, sxy);
                syy = VectorMath.MultiplyAdd(v, v, syy);
                sx += u;
                sy += v;
                s1 += Vector.ConditionalSelect(inside, Vector<T>.One, Vector<T>.Zero);

                var sample = TTaps.Create(mapX.Map(px), mapY.Map(py), layout.WidthIn, layout.HeightIn);
                for (long ch = 0; ch < c; ch++)
                {
                    var dv = sample.Interpolate(item + ch * plane) - Load(center + ch * lanes);
                    Store(sumX + ch * lanes, VectorMath.MultiplyAdd(u, dv, Load(sumX + ch * lanes)));
                    Store(sumY + ch * lanes, VectorMath.MultiplyAdd(v, dv, Load(sumY + ch * lanes)));
                    Store(sum1 + ch * lanes, Load(sum1 + ch * lanes) + Vector.ConditionalSelect(inside, dv, Vector<T>.Zero));
                }
            }

            // Cofactors of the symmetric M = [[sxx, sxy, sx], [sxy, syy, sy], [sx, sy, s1]] (as PlaneFit).
            var c00 = syy * s1 - sy * sy;
            var c01 = sx * sy - sxy * s1;
            var c02 = sxy * sy - syy * sx;
            var c11 = sxx * s1 - sx * sx;
            var c12 = sxy * sx - sxx * sy;
            var c22 = sxx * syy - sxy * sxy;
            var det = sxx * c00 + sxy * c01 + sx * c02;
            var scale = sxx * syy * s1;
            var wellPosed = Vector.BitwiseAnd(Vector.GreaterThan(det, scale * conditioning), Vector.GreaterThan(scale, Vector<T>.Zero));
            var inverse = Vector.ConditionalSelect(wellPosed, Vector<T>.One / det, Vector<T>.Zero);

            long outputAt = n * c * pixels + x0;
            for (long ch = 0; ch < c; ch++)
            {
                var bx = Load(sumX + ch * lanes);
                var by = Load(sumY + ch * lanes);
                var b1 = Load(sum1 + ch * lanes);
                var value = Load(center + ch * lanes);
                var intercept = (c02 * bx + c12 * by + c22 * b1) * inverse;
                long at = outputAt + ch * pixels;
                var term = s.AddIntercept ? intercept : Vector<T>.Zero;
                Write(p.Value, at, p.ValueHasCenter ? value + term : term, count);
                Write(p.Center, at, value, count);
                Write(p.SlopeX, at, (c00 * bx + c01 * by + c02 * b1) * inverse * fitScaleX, count);
                Write(p.SlopeY, at, (c01 * bx + c11 * by + c12 * b1) * inverse * fitScaleY, count);
                Write(p.Intercept, at, intercept, count);
            }
        }
    }

    /// <summary>float32 noise lanes as T lanes (for float64, the first half of them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> FromSingle<T>(Vector<float> value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return value.As<float, T>();
        Vector.Widen(value, out Vector<double> low, out _);
        return low.As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(T* at) where T : unmanaged => Unsafe.ReadUnaligned<Vector<T>>(at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* at, Vector<T> value) where T : unmanaged => Unsafe.WriteUnaligned(at, value);

    /// <summary>Writes the first <paramref name="count"/> lanes at element <paramref name="at"/> of an output, if wanted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write<T>(IntPtr output, long at, Vector<T> value, int count) where T : unmanaged
    {
        if (output == IntPtr.Zero)
            return;
        T* target = (T*)output + at;
        if (count == Vector<T>.Count)
        {
            Unsafe.WriteUnaligned(target, value);
            return;
        }
        for (int k = 0; k < count; k++)
            target[k] = value[k];
    }
}
