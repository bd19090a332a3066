using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>Finds the first non-finite coordinate of a grid: a vectorized scan on the CPU, libtorch ops elsewhere.</summary>
internal static unsafe class GridFiniteness
{
    /// <summary>Flat index (over the contiguous (N, Hout, Wout, 2) order) of the first NaN — or ±∞ too unless allowed — else -1.</summary>
    public static long FirstBad(Tensor grid, bool allowInfinity)
    {
        if (grid.device_type == TorchSharp.DeviceType.CPU && grid.is_contiguous())
        {
            if (grid.dtype == ScalarType.Float32)
                return FirstBad(CpuTensorMemory.Pointer<float>(grid), grid.numel(), allowInfinity);
            if (grid.dtype == ScalarType.Float64)
                return FirstBad(CpuTensorMemory.Pointer<double>(grid), grid.numel(), allowInfinity);
        }
        using var scope = NewDisposeScope();
        var bad = (allowInfinity ? grid.isnan() : grid.isfinite().logical_not()).reshape(-1);
        if (!bad.any().item<bool>())
            return -1;
        return bad.nonzero()[0, 0].cpu().item<long>();
    }

    private static long FirstBad<T>(T* values, long count, bool allowInfinity) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long i = 0;
        // x - x is 0 for finite x and NaN for NaN and ±∞; x == x is false only for NaN.
        for (; i + Vector<T>.Count <= count; i += Vector<T>.Count)
        {
            var v = Unsafe.ReadUnaligned<Vector<T>>(values + i);
            if (!(allowInfinity ? Vector.EqualsAll(v, v) : Vector.EqualsAll(v - v, Vector<T>.Zero)))
                break;
        }
        for (; i < count; i++)
        {
            T v = values[i];
            if (allowInfinity ? T.IsNaN(v) : !T.IsFinite(v))
                return i;
        }
        return -1;
    }
}
