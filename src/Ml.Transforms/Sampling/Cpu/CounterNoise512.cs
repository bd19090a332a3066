using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// <see cref="CounterNoise"/>'s pairs 16 lanes at a time on AVX-512 CPUs: the same operations on the same constants,
/// lane by lane (fused multiply–adds as on the 256-bit path), so the same bits as the <c>Vector&lt;float&gt;</c> path
/// (a test checks it); about twice its throughput where the CPU executes 512-bit floating point at full width.
/// </summary>
internal static partial class CounterNoise
{
    /// <summary>AVX-512 with 64-bit multiplies and a 256-bit <c>Vector&lt;float&gt;</c> path using FMA to agree with.</summary>
    private static bool Wide
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512F.IsSupported && Avx512DQ.IsSupported && Fma.IsSupported && Vector<float>.Count == 8;
    }

    /// <summary>Writes the first multiple of 16 of the <paramref name="count"/> pairs; returns how many.</summary>
    private static unsafe int Fill512(ulong seed, ulong first, ulong stride, int count, float* x, float* y)
    {
        if (!Wide)
            return 0;
        ulong step = stride * Golden;
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * step;
        var half = Vector512.Create(8 * step);
        int i = 0;
        for (; i + 16 <= count; i += 16)
        {
            var low = Vector512.Create(seed + (first + (ulong)i * stride + 1) * Golden) + lanes;
            var (zx, zy) = BoxMuller(Mix(low), Mix(low + half));
            zx.Store(x + i);
            zy.Store(y + i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> X, Vector512<float> Y) BoxMuller(Vector512<ulong> low, Vector512<ulong> high)
    {
        var radiusBits = Vector512.Narrow(Vector512.ShiftRightLogical(low, 40), Vector512.ShiftRightLogical(high, 40)).AsInt32();
        var angleBits = Vector512.Narrow(Vector512.ShiftRightLogical(low, 16), Vector512.ShiftRightLogical(high, 16)).AsInt32()
            & Vector512.Create(0xFFFFFF);
        var u1 = Vector512.ConvertToSingle(radiusBits + Vector512<int>.One) * Vector512.Create(1f / (1 << 24));
        var radius = Vector512.Sqrt(Log(u1) * Vector512.Create(-2f));
        var (cos, sin) = CosSinOfTurn(angleBits);
        return (radius * cos, radius * sin);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log(Vector512<float> value)
    {
        var bits = value.AsInt32();
        var exponent = Vector512.ShiftRightArithmetic(bits, 23) - Vector512.Create(126);
        var mantissa = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F000000)).AsSingle();
        var small = Vector512.LessThan(mantissa, Vector512.Create(0.707106781186547524f));
        exponent += small.AsInt32();
        var x = Vector512.ConditionalSelect(small, mantissa + mantissa, mantissa) - Vector512<float>.One;
        var e = Vector512.ConvertToSingle(exponent);
        var z = x * x;
        var y = Vector512.Create(7.0376836292E-2f);
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(-1.1514610310E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(1.1676998740E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(-1.2420140846E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(1.4249322787E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(-1.6668057665E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(2.0000714765E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(-2.4999993993E-1f));
        y = Avx512F.FusedMultiplyAdd(y, x, Vector512.Create(3.3333331174E-1f));
        y = y * x * z;
        y = Avx512F.FusedMultiplyAdd(e, Vector512.Create(-2.12194440E-4f), y);
        y = Avx512F.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        return Avx512F.FusedMultiplyAdd(e, Vector512.Create(0.693359375f), x + y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Cos, Vector512<float> Sin) CosSinOfTurn(Vector512<int> k)
    {
        var quarters = Vector512.ConvertToSingle(k) * Vector512.Create(4f / (1 << 24));
        var q = Vector512.ConvertToInt32(quarters + Vector512.Create(0.5f));
        var phi = (quarters - Vector512.ConvertToSingle(q)) * Vector512.Create(1.57079632679489662f);
        var p2 = phi * phi;
        var sin = Vector512.Create(-1.9515295891E-4f);
        sin = Avx512F.FusedMultiplyAdd(sin, p2, Vector512.Create(8.3321608736E-3f));
        sin = Avx512F.FusedMultiplyAdd(sin, p2, Vector512.Create(-1.6666654611E-1f));
        sin = Avx512F.FusedMultiplyAdd(sin * p2, phi, phi);
        var cos = Vector512.Create(2.443315711809948E-5f);
        cos = Avx512F.FusedMultiplyAdd(cos, p2, Vector512.Create(-1.388731625493765E-3f));
        cos = Avx512F.FusedMultiplyAdd(cos, p2, Vector512.Create(4.166664568298827E-2f));
        cos = Avx512F.FusedMultiplyAdd(cos * p2, p2, Avx512F.FusedMultiplyAdd(p2, Vector512.Create(-0.5f), Vector512<float>.One));

        var swap = Vector512.Equals(q & Vector512<int>.One, Vector512<int>.One).AsSingle();
        var c = Vector512.ConditionalSelect(swap, sin, cos);
        var s = Vector512.ConditionalSelect(swap, cos, sin);
        var negateCos = Vector512.ShiftLeft((q + Vector512<int>.One) & Vector512.Create(2), 30);
        var negateSin = Vector512.ShiftLeft(q & Vector512.Create(2), 30);
        return ((c.AsInt32() ^ negateCos).AsSingle(), (s.AsInt32() ^ negateSin).AsSingle());
    }
}
