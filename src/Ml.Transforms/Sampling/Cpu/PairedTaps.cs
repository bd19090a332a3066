using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// <see cref="BilinearTaps{T}"/> for float32 on AVX2 CPUs, reading each row's two taps as one 64-bit element: per
/// channel 4 gathers of 4 pairs instead of 4 gathers of 8 floats, half the loads. The pair is read at
/// clamp(x0, 0, W − 2), always inside the row; its two floats get weights that also encode the zero padding (x0 = −1
/// uses only the low float as x0 + 1, x0 = W − 1 only the high one as x0). Rows outside the input are masked off.
/// A NaN coordinate gives NaN weights and a NaN value, as in libtorch. Needs W ≥ 2.
/// </summary>
internal unsafe readonly struct PairedTaps : ITaps<float, PairedTaps>
{
    private readonly Vector128<int> _indexLow, _indexHigh; // y0·W + clamp(x0): lanes 0–3, 4–7
    private readonly Vector256<long> _northLow, _northHigh, _southLow, _southHigh; // row y0 / y0 + 1 inside
    private readonly Vector256<float> _pairLow, _pairHigh; // (low, high) weights of the pairs, interleaved
    private readonly Vector256<float> _north, _south; // row weights in the lane order of HorizontalAdd
    private readonly long _width;

    /// <summary>True on CPUs with AVX2 and 256-bit <see cref="Vector{T}"/> (a JIT-time constant).</summary>
    public static bool IsSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx2.IsSupported && Vector<float>.Count == 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PairedTaps(Vector256<float> x, Vector256<float> y, long width, long height)
    {
        _width = width;
        var one = Vector256.Create(1f);
        var x0 = Avx.RoundToNegativeInfinity(x);
        var y0 = Avx.RoundToNegativeInfinity(y);
        var east = x - x0;
        var west = one - east;
        var south = y - y0;
        var north = one - south;

        // 1 or 0 per lane (a NaN weight times 0 stays NaN).
        var inside = Avx.And(Avx.And(Avx.CompareGreaterThanOrEqual(x0, Vector256<float>.Zero), Avx.CompareLessThanOrEqual(x0, Vector256.Create((float)(width - 2)))), one);
        var last = Avx.And(Avx.CompareEqual(x0, Vector256.Create((float)(width - 1))), one);
        var beforeFirst = Avx.And(Avx.CompareEqual(x0, Vector256.Create(-1f)), one);
        var low = west * inside + east * beforeFirst;
        var high = east * inside + west * last;
        var unpackLow = Avx.UnpackLow(low, high); // l0 h0 l1 h1 | l4 h4 l5 h5
        var unpackHigh = Avx.UnpackHigh(low, high); // l2 h2 l3 h3 | l6 h6 l7 h7
        _pairLow = Avx.Permute2x128(unpackLow, unpackHigh, 0x20);
        _pairHigh = Avx.Permute2x128(unpackLow, unpackHigh, 0x31);
        _north = Order(north);
        _south = Order(south);

        var column = Avx.ConvertToVector256Int32WithTruncation(x0);
        column = Avx2.Min(Avx2.Max(column, Vector256<int>.Zero), Vector256.Create((int)width - 2));
        var row = Avx.ConvertToVector256Int32WithTruncation(y0);
        var index = Avx2.MultiplyLow(row, Vector256.Create((int)width)) + column;
        _indexLow = index.GetLower();
        _indexHigh = index.GetUpper();
        var northIn = Avx.And(Avx.CompareGreaterThanOrEqual(y0, Vector256<float>.Zero), Avx.CompareLessThanOrEqual(y0, Vector256.Create((float)(height - 1)))).AsInt32();
        var southIn = Avx.And(Avx.CompareGreaterThanOrEqual(y0, Vector256.Create(-1f)), Avx.CompareLessThanOrEqual(y0, Vector256.Create((float)(height - 2)))).AsInt32();
        _northLow = Avx2.ConvertToVector256Int64(northIn.GetLower());
        _northHigh = Avx2.ConvertToVector256Int64(northIn.GetUpper());
        _southLow = Avx2.ConvertToVector256Int64(southIn.GetLower());
        _southHigh = Avx2.ConvertToVector256Int64(southIn.GetUpper());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PairedTaps Create(Vector<float> x, Vector<float> y, long width, long height) =>
        new(x.AsVector256(), y.AsVector256(), width, height);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Interpolate(float* plane)
    {
        var north = Row((long*)plane, _northLow, _northHigh);
        var south = Row((long*)(plane + _width), _southLow, _southHigh);
        // HorizontalAdd leaves the lanes as 0 1 4 5 | 2 3 6 7; swapping the middle 64-bit blocks restores 0 … 7.
        var value = north * _north + south * _south;
        return Avx2.Permute4x64(value.AsDouble(), 0b11_01_10_00).AsSingle().AsVector();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Row(long* row, Vector256<long> maskLow, Vector256<long> maskHigh)
    {
        var low = Avx2.GatherMaskVector256(Vector256<long>.Zero, row, _indexLow, maskLow, 4).AsSingle() * _pairLow;
        var high = Avx2.GatherMaskVector256(Vector256<long>.Zero, row, _indexHigh, maskHigh, 4).AsSingle() * _pairHigh;
        return Avx.HorizontalAdd(low, high);
    }

    /// <summary>Lanes 0 … 7 rearranged as 0 1 4 5 | 2 3 6 7, the order HorizontalAdd produces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Order(Vector256<float> value) => Avx2.Permute4x64(value.AsDouble(), 0b11_01_10_00).AsSingle();
}
