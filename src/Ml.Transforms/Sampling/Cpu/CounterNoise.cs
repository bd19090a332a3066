using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// Standard normal pairs from a counter-based generator: pair number i of a stream is a pure function of
/// (seed, i), so it does not depend on which thread computes it, in which order, or in which SIMD lane.
/// The 64 bits of pair i are SplitMix64's output function (Steele, Lea, Flood 2014) of the Weyl state
/// seed + (i + 1)·0x9E3779B97F4A7C15; 24 of them give u1 in (0, 1], 24 an angle, and Box–Muller gives
/// (√(−2 ln u1)·cos θ, √(−2 ln u1)·sin θ) in float32. The logarithm and the sine/cosine are Cephes' float
/// polynomials evaluated lane-wise (with fused multiply–adds where the CPU has FMA and 256-bit vectors, a JIT-time
/// choice), so on one machine every path — any tail, any thread — gives the same bits.
/// </summary>
internal static partial class CounterNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>a·b + c, fused where the CPU can (the choice is made once, by the JIT, for every caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
        Fma.IsSupported && Vector<float>.Count == 8
            ? Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), c.AsVector256()).AsVector()
            : a * b + c;

    /// <summary>0, 1, 2, … in the 64-bit lanes.</summary>
    private static readonly Vector<ulong> LaneIndices = CreateLaneIndices();

    private static Vector<ulong> CreateLaneIndices()
    {
        var values = new ulong[Vector<ulong>.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = (ulong)i;
        return new Vector<ulong>(values);
    }

    /// <summary>
    /// Writes the pairs number <paramref name="first"/>, first + stride, …, first + (x.Length − 1)·stride of the stream
    /// <paramref name="seed"/> to <paramref name="x"/> and <paramref name="y"/> (of equal length).
    /// </summary>
    public static unsafe void Fill(ulong seed, ulong first, ulong stride, Span<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException("Internal error: x and y must have one length.", nameof(y));
        fixed (float* px = x, py = y)
            Fill(seed, first, stride, x.Length, px, py);
    }

    /// <summary>
    /// Writes the pairs number <paramref name="first"/>, first + stride, …, first + (count − 1)·stride of the stream
    /// <paramref name="seed"/> to x[0..count) and y[0..count).
    /// </summary>
    public static unsafe void Fill(ulong seed, ulong first, ulong stride, int count, float* x, float* y)
    {
        int lanes = Vector<float>.Count;
        float* bufferX = stackalloc float[lanes];
        float* bufferY = stackalloc float[lanes];
        var stream = new Stream(seed, stride);
        int i = Fill512(seed, first, stride, count, x, y); // the bulk, 16 lanes at a time, where the CPU has AVX-512
        for (; i < count; i += lanes)
        {
            var (zx, zy) = stream.Pairs(first + (ulong)i * stride);
            if (count - i >= lanes)
            {
                Unsafe.WriteUnaligned(x + i, zx);
                Unsafe.WriteUnaligned(y + i, zy);
                continue;
            }
            Unsafe.WriteUnaligned(bufferX, zx);
            Unsafe.WriteUnaligned(bufferY, zy);
            for (int k = 0; k < count - i; k++)
            {
                x[i + k] = bufferX[k];
                y[i + k] = bufferY[k];
            }
        }
    }

    /// <summary>One seed and stride, for drawing many vectors of pairs (the per-lane offsets computed once).</summary>
    public readonly struct Stream
    {
        private readonly ulong _seed;
        private readonly Vector<ulong> _laneStates; // k·stride·γ in lane k
        private readonly Vector<ulong> _halfStates; // (lanes / 2)·stride·γ

        /// <param name="seed">The stream.</param>
        /// <param name="stride">Distance between the pair numbers of neighbouring lanes.</param>
        public Stream(ulong seed, ulong stride)
        {
            _seed = seed;
            ulong step = stride * Golden;
            _laneStates = LaneIndices * step;
            _halfStates = new Vector<ulong>((ulong)Vector<ulong>.Count * step);
        }

        /// <summary>The pairs number first, first + stride, … (one per float lane).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (Vector<float> X, Vector<float> Y) Pairs(ulong first)
        {
            // Weyl states of the lanes: seed + (first + k·stride + 1)·γ, as two halves of 64-bit lanes.
            var low = new Vector<ulong>(_seed + (first + 1) * Golden) + _laneStates;
            var high = low + _halfStates;
            return BoxMuller(Mix(low), Mix(high));
        }
    }

    /// <summary>Box–Muller from 64 random bits per pair, lanes in two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> X, Vector<float> Y) BoxMuller(Vector<ulong> low, Vector<ulong> high)
    {
        // 24 bits for the radius, 24 for the angle (both exact in float32).
        var radiusBits = Vector.AsVectorInt32(Vector.Narrow(Vector.ShiftRightLogical(low, 40), Vector.ShiftRightLogical(high, 40)));
        var angleBits = Vector.AsVectorInt32(Vector.Narrow(Vector.ShiftRightLogical(low, 16), Vector.ShiftRightLogical(high, 16)))
            & new Vector<int>(0xFFFFFF);
        var u1 = Vector.ConvertToSingle(radiusBits + Vector<int>.One) * new Vector<float>(1f / (1 << 24)); // (0, 1]
        var radius = Vector.SquareRoot(Log(u1) * new Vector<float>(-2f));
        var (cos, sin) = CosSinOfTurn(angleBits);
        return (radius * cos, radius * sin);
    }

    /// <summary>SplitMix64's output function.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Mix(Vector<ulong> z)
    {
        z = (z ^ Vector.ShiftRightLogical(z, 30)) * new Vector<ulong>(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector.ShiftRightLogical(z, 27)) * new Vector<ulong>(0x94D049BB133111EBUL);
        return z ^ Vector.ShiftRightLogical(z, 31);
    }

    /// <summary>Natural logarithm of positive normal floats (Cephes <c>logf</c>, about 1 ulp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Log(Vector<float> value)
    {
        var bits = Vector.AsVectorInt32(value);
        var exponent = Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(126);
        var mantissa = Vector.AsVectorSingle((bits & new Vector<int>(0x007FFFFF)) | new Vector<int>(0x3F000000)); // [0.5, 1)
        var small = Vector.LessThan(mantissa, new Vector<float>(0.707106781186547524f));
        exponent += small; // true lanes are -1
        var x = Vector.ConditionalSelect(small, mantissa + mantissa, mantissa) - Vector<float>.One;
        var e = Vector.ConvertToSingle(exponent);
        var z = x * x;
        var y = new Vector<float>(7.0376836292E-2f);
        y = MultiplyAdd(y, x, new Vector<float>(-1.1514610310E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(1.1676998740E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(-1.2420140846E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(1.4249322787E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(-1.6668057665E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(2.0000714765E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(-2.4999993993E-1f));
        y = MultiplyAdd(y, x, new Vector<float>(3.3333331174E-1f));
        y = y * x * z;
        y = MultiplyAdd(e, new Vector<float>(-2.12194440E-4f), y);
        y = MultiplyAdd(z, new Vector<float>(-0.5f), y);
        return MultiplyAdd(e, new Vector<float>(0.693359375f), x + y);
    }

    /// <summary>
    /// cos and sin of 2π·k / 2^24 for integers k in [0, 2^24): the nearest quarter turn q and a remainder φ in
    /// [−π/4, π/4] (exact up to the product with π/2), Cephes' <c>sinf</c>/<c>cosf</c> polynomials, then a rotation by q.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> Cos, Vector<float> Sin) CosSinOfTurn(Vector<int> k)
    {
        var quarters = Vector.ConvertToSingle(k) * new Vector<float>(4f / (1 << 24)); // [0, 4), exact
        var q = Vector.ConvertToInt32(quarters + new Vector<float>(0.5f)); // nearest quarter, 0..4
        var phi = (quarters - Vector.ConvertToSingle(q)) * new Vector<float>(1.57079632679489662f);
        var p2 = phi * phi;
        var sin = new Vector<float>(-1.9515295891E-4f);
        sin = MultiplyAdd(sin, p2, new Vector<float>(8.3321608736E-3f));
        sin = MultiplyAdd(sin, p2, new Vector<float>(-1.6666654611E-1f));
        sin = MultiplyAdd(sin * p2, phi, phi);
        var cos = new Vector<float>(2.443315711809948E-5f);
        cos = MultiplyAdd(cos, p2, new Vector<float>(-1.388731625493765E-3f));
        cos = MultiplyAdd(cos, p2, new Vector<float>(4.166664568298827E-2f));
        cos = MultiplyAdd(cos * p2, p2, MultiplyAdd(p2, new Vector<float>(-0.5f), Vector<float>.One));

        // Rotate (cos φ, sin φ) by q quarter turns: q odd swaps them; cos is negated for q = 1, 2, sin for q = 2, 3.
        var swap = Vector.AsVectorSingle(Vector.Equals(q & Vector<int>.One, Vector<int>.One));
        var c = Vector.ConditionalSelect(swap, sin, cos);
        var s = Vector.ConditionalSelect(swap, cos, sin);
        var negateCos = Vector.ShiftLeft((q + Vector<int>.One) & new Vector<int>(2), 30); // sign bit when bit 1 of q + 1 is set
        var negateSin = Vector.ShiftLeft(q & new Vector<int>(2), 30);
        return (Vector.AsVectorSingle(Vector.AsVectorInt32(c) ^ negateCos), Vector.AsVectorSingle(Vector.AsVectorInt32(s) ^ negateSin));
    }
}
