using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// Normalized coordinate → source pixel coordinate along one axis, with the padding map, as libtorch's vectorized CPU
/// grid sampler computes it (<c>ComputeLocation</c> in GridSamplerKernel.cpp): unnormalize, then reflect and/or clip.
/// Vector form only: the forward kernel and the input-gradient scatter both map through it, so they agree bit for bit.
/// </summary>
internal readonly struct SourceMap<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _scale;
    private readonly T _shift;
    private readonly T _max;
    private readonly T _low;
    private readonly T _twiceSpan;
    private readonly PaddingMode _padding;
    private readonly bool _empty;

    /// <param name="size">Input size along the axis (W for x, H for y).</param>
    /// <param name="padding">Padding mode.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    public SourceMap(long size, PaddingMode padding, bool alignCorners)
    {
        _padding = padding;
        _max = T.CreateTruncating(size - 1);
        if (alignCorners)
        {
            _scale = T.CreateTruncating(size - 1) / T.CreateTruncating(2);
            _shift = T.Zero;
            _low = T.Zero;
            _twiceSpan = T.CreateTruncating(size - 1) * T.CreateTruncating(2);
            _empty = size <= 1;
        }
        else
        {
            _scale = T.CreateTruncating(size) / T.CreateTruncating(2);
            _shift = T.CreateTruncating(0.5);
            _low = -T.CreateTruncating(0.5);
            _twiceSpan = T.CreateTruncating(size) * T.CreateTruncating(2);
            _empty = size <= 0;
        }
    }

    /// <summary>The source coordinates of one vector of normalized coordinates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Map(Vector<T> coordinate)
    {
        var pixel = (coordinate + Vector<T>.One) * new Vector<T>(_scale) - new Vector<T>(_shift);
        if (_padding == PaddingMode.Zeros)
            return pixel;
        if (_padding == PaddingMode.Reflection)
        {
            if (_empty)
                return Vector<T>.Zero;
            var twiceSpan = new Vector<T>(_twiceSpan);
            var distance = Vector.Abs(pixel - new Vector<T>(_low));
            var extra = distance - Truncate(distance / twiceSpan) * twiceSpan;
            pixel = Vector.Min(extra, twiceSpan - extra) + new Vector<T>(_low);
        }
        return Vector.Min(new Vector<T>(_max), Vector.Max(pixel, Vector<T>.Zero));
    }

    /// <summary>Rounds toward zero (the arguments here are never negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Truncate(Vector<T> value) => VectorMath.Floor(value);
}
