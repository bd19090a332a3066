using System.Numerics;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Builds the grid of all K sample points (p0 first, then p0 + offset for each auxiliary sample) in one CPU pass, and
/// replaces the offsets by their values after rounding, (p0 + offset) - p0, which is what the fit must use.
/// </summary>
internal static unsafe class SampleGridKernel
{
    /// <param name="grid">(N, H, W, 2) contiguous query points.</param>
    /// <param name="offsetX">(N, M, H, W) contiguous x offsets; overwritten with the rounded offsets.</param>
    /// <param name="offsetY">(N, M, H, W) contiguous y offsets; likewise.</param>
    /// <returns>(N, (M + 1)·H, W, 2): row block 0 = p0, block j = p0 + offset j - 1.</returns>
    public static Tensor Build(Tensor grid, Tensor offsetX, Tensor offsetY) =>
        grid.dtype == ScalarType.Float64 ? Build<double>(grid, offsetX, offsetY) : Build<float>(grid, offsetX, offsetY);

    private static Tensor Build<T>(Tensor grid, Tensor offsetX, Tensor offsetY) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        grid = grid.contiguous();
        long n = grid.shape[0], h = grid.shape[1], w = grid.shape[2], m = offsetX.shape[1], plane = h * w;
        var samples = empty(new[] { n, (m + 1) * h, w, 2 }, grid.dtype);
        var pg = (IntPtr)CpuTensorMemory.Pointer<T>(grid);
        var px = (IntPtr)CpuTensorMemory.Pointer<T>(offsetX);
        var py = (IntPtr)CpuTensorMemory.Pointer<T>(offsetY);
        var ps = (IntPtr)CpuTensorMemory.Pointer<T>(samples);
        CpuParallel.For(0, n * (m + 1), block =>
        {
            long item = block / (m + 1), j = block % (m + 1);
            T* source = (T*)pg + item * plane * 2;
            T* target = (T*)ps + block * plane * 2;
            if (j == 0)
            {
                new ReadOnlySpan<T>(source, (int)(plane * 2)).CopyTo(new Span<T>(target, (int)(plane * 2)));
                return;
            }
            T* ox = (T*)px + (item * m + j - 1) * plane;
            T* oy = (T*)py + (item * m + j - 1) * plane;
            for (long p = 0; p < plane; p++)
            {
                T x = source[2 * p] + ox[p], y = source[2 * p + 1] + oy[p];
                target[2 * p] = x;
                target[2 * p + 1] = y;
                ox[p] = x - source[2 * p];
                oy[p] = y - source[2 * p + 1];
            }
        });
        return samples;
    }
}
