using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// The coarser levels of <see cref="MultiScaleSampler"/>'s pyramid: level k is level k − 1 average-pooled 2×2 with
/// stride 2 (libtorch's <c>avg_pool2d(x, 2)</c>: odd sizes rounded down, each output ((a + b) + c + d) / 4 in that
/// order), down while both sides are at least 2. For a float32/float64 CPU input that needs no gradient it is one
/// fused pass per image plane (SIMD for float32 on AVX2), planes in parallel, every level written into one
/// allocation; a batch made with <c>expand</c> (one image repeated, stride 0) is pooled once, not once per item.
/// Otherwise (a gradient to the input, another device or dtype) it is <c>avg_pool2d</c>, differentiable.
/// </summary>
internal static unsafe class AveragePyramid
{
    /// <summary>Levels 1 … up to <paramref name="levels"/> − 1.</summary>
    /// <param name="input">(N, C, H, W): level 0.</param>
    /// <param name="levels">Levels wanted, level 0 included.</param>
    /// <returns>Each (N, C, H_k, W_k); fewer when a side gets below 2 first.</returns>
    public static List<Tensor> Build(Tensor input, int levels)
    {
        var sizes = new List<(long H, long W)>();
        long h = input.shape[2], w = input.shape[3];
        for (int k = 1; k < levels && h >= 2 && w >= 2; k++)
        {
            h /= 2;
            w /= 2;
            sizes.Add((h, w));
        }
        bool fused = !(is_grad_enabled() && input.requires_grad)
            && input.dtype is ScalarType.Float32 or ScalarType.Float64
            && CpuTensorMemory.HasContiguousItems(input);
        if (!fused)
            return Pooled(input, sizes.Count);
        using var noGrad = no_grad();
        return input.dtype == ScalarType.Float32 ? Fused<float>(input, sizes) : Fused<double>(input, sizes);
    }

    private static List<Tensor> Pooled(Tensor input, int count)
    {
        var result = new List<Tensor>();
        var level = input;
        for (int k = 0; k < count; k++)
            result.Add(level = nn.functional.avg_pool2d(level, 2));
        return result;
    }

    private static List<Tensor> Fused<T>(Tensor input, List<(long H, long W)> sizes) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        T* source = CpuTensorMemory.ItemPointer<T>(input, out long batchStride);
        long items = batchStride == 0 ? 1 : n; // an expanded batch holds one image
        long planeElements = sizes.Sum(s => s.H * s.W);
        var storage = empty(new[] { items * c * planeElements }, input.dtype);
        var levels = new List<Tensor>();
        long offset = 0;
        foreach (var (lh, lw) in sizes)
        {
            var level = storage.narrow(0, offset * items * c, items * c * lh * lw).view(items, c, lh, lw);
            levels.Add(items == n ? level : level.expand(n, -1, -1, -1));
            offset += lh * lw;
        }
        if (sizes.Count == 0)
            return levels;

        var pSource = (IntPtr)source;
        var pTarget = (IntPtr)CpuTensorMemory.Pointer<T>(storage);
        CpuParallel.For(0, items * c, items * c * h * w, plane =>
        {
            long item = plane / c, channel = plane % c;
            T* from = (T*)pSource + item * batchStride + channel * h * w;
            long fromH = h, fromW = w, levelStart = 0;
            foreach (var (lh, lw) in sizes)
            {
                T* to = (T*)pTarget + levelStart * items * c + plane * lh * lw;
                Halve(from, fromW, to, lh, lw);
                from = to;
                (fromH, fromW) = (lh, lw);
                levelStart += lh * lw;
            }
        });
        return levels;
    }

    /// <summary>One 2×2 average pooling of a plane with rows of <paramref name="width"/> into (height, halfWidth).</summary>
    private static void Halve<T>(T* from, long width, T* to, long height, long halfWidth) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T quarter = T.CreateTruncating(0.25);
        for (long y = 0; y < height; y++)
        {
            T* top = from + 2 * y * width, bottom = top + width, target = to + y * halfWidth;
            long x = 0;
            if (typeof(T) == typeof(float) && Avx2.IsSupported)
                x = HalveRow((float*)top, (float*)bottom, (float*)target, halfWidth);
            for (; x < halfWidth; x++)
                target[x] = (top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1]) * quarter;
        }
    }

    /// <summary>Eight outputs at a time; returns how many were written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long HalveRow(float* top, float* bottom, float* target, long halfWidth)
    {
        long x = 0;
        var quarter = Vector256.Create(0.25f);
        for (; x + 8 <= halfWidth; x += 8)
        {
            var (a, b) = Split(Avx.LoadVector256(top + 2 * x), Avx.LoadVector256(top + 2 * x + 8));
            var (c, d) = Split(Avx.LoadVector256(bottom + 2 * x), Avx.LoadVector256(bottom + 2 * x + 8));
            Avx.Store(target + x, (a + b + c + d) * quarter);
        }
        return x;
    }

    /// <summary>Even and odd elements of 16 consecutive floats, each in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Split(Vector256<float> low, Vector256<float> high)
    {
        var even = Avx.Shuffle(low, high, 0b10_00_10_00); // 0 2 8 10 | 4 6 12 14
        var odd = Avx.Shuffle(low, high, 0b11_01_11_01);
        return (Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle(), Avx2.Permute4x64(odd.AsDouble(), 0b11_01_10_00).AsSingle());
    }
}
