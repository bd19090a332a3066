using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ml.Transforms.Sampling;

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
}
