using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Devices;

/// <summary>
/// Tensor arithmetic without TorchSharp's temporary <see cref="Scalar"/>s. In TorchSharp 0.107, <c>a + b</c> is
/// <c>a.add(b, 1)</c> and <c>t * 2.0</c> is <c>t.mul(2.0)</c>: each makes a <see cref="Scalar"/> that nothing references
/// once its native handle is read, so a garbage collection during the native call can run its finalizer, which frees the
/// scalar while libtorch still reads it ("Expected false to be true" from <c>c10/core/Scalar.h</c>, or a wrong value;
/// docs/performance.md). Here every scalar is kept alive across the call: the constants in static fields, the others in
/// a <c>using</c> that disposes them after the call returns. The library, its samples and its tests use these instead of
/// the operators with a number operand, <c>Tensor + Tensor</c>, <c>add(Tensor)</c> and implicit number-to-Scalar
/// arguments (a test scans the sources for them); TorchSharp code of your own around the library can too.
/// </summary>
/// <remarks>
/// Integer operands make integer scalars and floating ones double scalars, as TorchSharp's operators do, so the result's
/// dtype is the same (an int64 tensor plus 1 stays int64; plus 0.5 becomes float).
/// </remarks>
public static class KeptScalars
{
    /// <summary>The integer 0 (shared: never dispose it).</summary>
    public static readonly Scalar Zero = 0L.ToScalar();

    /// <summary>The integer 1: the <c>alpha</c> of an unscaled <c>add</c> (shared: never dispose it).</summary>
    public static readonly Scalar One = 1L.ToScalar();

    /// <summary>The integer 2 (shared: never dispose it).</summary>
    public static readonly Scalar Two = 2L.ToScalar();

    /// <summary><paramref name="a"/> + <paramref name="b"/>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><paramref name="a"/> + <paramref name="b"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><paramref name="a"/> + <paramref name="b"/>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add_(s, One);
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/>.</summary>
    public static Tensor Plus(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/> (an integer scalar: an integer tensor stays integer).</summary>
    public static Tensor Plus(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>.</summary>
    public static Tensor Minus(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/> (an integer scalar).</summary>
    public static Tensor Minus(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary><paramref name="b"/> − <paramref name="a"/>.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        using var negated = a.neg();
        return negated.add(s, One);
    }

    /// <summary><paramref name="a"/> · <paramref name="b"/>.</summary>
    public static Tensor Times(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary><paramref name="a"/> · <paramref name="b"/> (an integer scalar).</summary>
    public static Tensor Times(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary><paramref name="a"/> · <paramref name="b"/>, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul_(s);
    }

    /// <summary><paramref name="a"/> · <paramref name="b"/>, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.mul_(s);
    }

    /// <summary><paramref name="a"/> / <paramref name="b"/>, in place.</summary>
    public static Tensor OverInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.div_(s);
    }

    /// <summary><paramref name="a"/> / <paramref name="b"/>.</summary>
    public static Tensor Over(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.div(s);
    }

    /// <summary><paramref name="a"/> / <paramref name="b"/> (an integer scalar; true division, as TorchSharp's operator).</summary>
    public static Tensor Over(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.div(s);
    }

    /// <summary><paramref name="a"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor Clamped(this Tensor a, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    /// <summary><paramref name="a"/> clamped to [<paramref name="min"/>, <paramref name="max"/>] (integer bounds: an integer tensor stays integer).</summary>
    public static Tensor Clamped(this Tensor a, long min, long max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    /// <summary>A tensor of <paramref name="size"/> filled with <paramref name="value"/> (<c>torch.full</c>; dtype null = the default floating type).</summary>
    public static Tensor Full(long[] size, double value, ScalarType? dtype = null, Device? device = null)
    {
        using var s = value.ToScalar();
        return full(size, s, dtype, device);
    }

    /// <summary>0, 1, …, <paramref name="stop"/> − 1 (<c>torch.arange</c>).</summary>
    public static Tensor Arange(long stop, ScalarType? dtype = null, Device? device = null)
    {
        using var s = stop.ToScalar();
        return arange(s, dtype, device);
    }

    /// <summary>A tensor like <paramref name="like"/> (shape, dtype, device) filled with <paramref name="value"/>.</summary>
    public static Tensor FullLike(Tensor like, double value)
    {
        using var s = value.ToScalar();
        return full_like(like, s);
    }

    /// <summary><paramref name="a"/> with values below <paramref name="min"/> raised to it.</summary>
    public static Tensor AtLeast(this Tensor a, double min)
    {
        using var lo = min.ToScalar();
        return a.clamp_min(lo);
    }
}
