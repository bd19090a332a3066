using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>Generic forms of the float/double-only <see cref="Vector"/> functions the kernels need.</summary>
internal static class VectorMath
{
    /// <summary>Rounds every lane down to an integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Floor<T>(Vector<T> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector.Floor(value.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.Floor(value.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"Internal error: no vector floor for {typeof(T).Name}.");
    }

    /// <summary>a·b + c, with one rounding where the CPU has FMA and 256-bit vectors (a JIT-time choice).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        if (Fma.IsSupported && Vector<byte>.Count == 32)
        {
            if (typeof(T) == typeof(float))
                return Fma.MultiplyAdd(a.AsVector256().AsSingle(), b.AsVector256().AsSingle(), c.AsVector256().AsSingle()).AsVector().As<float, T>();
            if (typeof(T) == typeof(double))
                return Fma.MultiplyAdd(a.AsVector256().AsDouble(), b.AsVector256().AsDouble(), c.AsVector256().AsDouble()).AsVector().As<double, T>();
        }
        return a * b + c;
    }
}
