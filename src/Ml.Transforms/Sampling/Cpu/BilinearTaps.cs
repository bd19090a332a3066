using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// The four bilinear taps of one vector of source points (pixel coordinates after the padding map): weights, which
/// taps lie inside the input, and their offsets in a channel plane. Taps outside read as 0 (libtorch's zero padding;
/// Border and Reflection have already mapped the points inside). A NaN coordinate gives NaN weights, so the value is
/// NaN, as in libtorch. float32 gathers use AVX2 where the CPU has it; other cases read lane by lane.
/// </summary>
internal unsafe readonly struct BilinearTaps<T> : ITaps<T, BilinearTaps<T>> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Weights of the taps (x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1).</summary>
    public readonly Vector<T> NorthWest, NorthEast, SouthWest, SouthEast;

    /// <summary>All bits set in the lanes whose tap lies inside the input.</summary>
    public readonly Vector<T> InNorthWest, InNorthEast, InSouthWest, InSouthEast;

    /// <summary>floor of the source coordinates.</summary>
    public readonly Vector<T> X0, Y0;

    private readonly Vector<int> _index; // y0·width + x0 (float32 AVX2 path only)
    private readonly long _width;

    /// <param name="x">(lanes) source x in pixels.</param>
    /// <param name="y">(lanes) source y in pixels.</param>
    /// <param name="width">Input width = row stride of a channel plane.</param>
    /// <param name="height">Input height.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BilinearTaps(Vector<T> x, Vector<T> y, long width, long height)
    {
        _width = width;
        X0 = VectorMath.Floor(x);
        Y0 = VectorMath.Floor(y);
        var east = x - X0;
        var west = Vector<T>.One - east;
        var south = y - Y0;
        var north = Vector<T>.One - south;
        NorthWest = north * west;
        NorthEast = north * east;
        SouthWest = south * west;
        SouthEast = south * east;

        var lastX = new Vector<T>(T.CreateTruncating(width - 1));
        var lastY = new Vector<T>(T.CreateTruncating(height - 1));
        var minusOne = -Vector<T>.One;
        var x0In = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(X0, Vector<T>.Zero), Vector.LessThanOrEqual(X0, lastX));
        var x1In = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(X0, minusOne), Vector.LessThan(X0, lastX));
        var y0In = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(Y0, Vector<T>.Zero), Vector.LessThanOrEqual(Y0, lastY));
        var y1In = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(Y0, minusOne), Vector.LessThan(Y0, lastY));
        InNorthWest = y0In & x0In;
        InNorthEast = y0In & x1In;
        InSouthWest = y1In & x0In;
        InSouthEast = y1In & x1In;

        // Plain truncating conversions: lanes out of range are never read, whatever integer they hold.
        _index = UseAvx2
            ? (Avx2.MultiplyLow(Avx.ConvertToVector256Int32WithTruncation(Y0.AsVector256().AsSingle()), Vector256.Create((int)width))
                + Avx.ConvertToVector256Int32WithTruncation(X0.AsVector256().AsSingle())).AsVector()
            : default;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BilinearTaps<T> Create(Vector<T> x, Vector<T> y, long width, long height) => new(x, y, width, height);

    /// <summary>True where the hardware gather is used: float32 lanes of 256 bits on an AVX2 CPU (a JIT-time constant).</summary>
    public static bool UseAvx2
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) && Avx2.IsSupported && Vector<float>.Count == 8;
    }

    /// <summary>Bilinear value of one channel plane (H, W), contiguous rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Interpolate(T* plane)
    {
        if (UseAvx2)
        {
            float* p = (float*)plane;
            var index = _index.AsVector256();
            var nw = Avx2.GatherMaskVector256(Vector256<float>.Zero, p, index, InNorthWest.AsVector256().AsSingle(), 4);
            var ne = Avx2.GatherMaskVector256(Vector256<float>.Zero, p + 1, index, InNorthEast.AsVector256().AsSingle(), 4);
            var sw = Avx2.GatherMaskVector256(Vector256<float>.Zero, p + _width, index, InSouthWest.AsVector256().AsSingle(), 4);
            var se = Avx2.GatherMaskVector256(Vector256<float>.Zero, p + _width + 1, index, InSouthEast.AsVector256().AsSingle(), 4);
            return NorthWest * nw.AsVector().As<float, T>() + NorthEast * ne.AsVector().As<float, T>()
                + SouthWest * sw.AsVector().As<float, T>() + SouthEast * se.AsVector().As<float, T>();
        }
        return NorthWest * Read(plane, 0, 0, InNorthWest) + NorthEast * Read(plane, 1, 0, InNorthEast)
            + SouthWest * Read(plane, 0, 1, InSouthWest) + SouthEast * Read(plane, 1, 1, InSouthEast);
    }

    /// <summary>Pixel (x0 + dx, y0 + dy) of <paramref name="lane"/>, or -1 when that tap lies outside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Offset(int lane, int dx, int dy, Vector<T> inside) =>
        IsSet(inside, lane) ? (long.CreateTruncating(Y0[lane]) + dy) * _width + long.CreateTruncating(X0[lane]) + dx : -1;

    private Vector<T> Read(T* plane, int dx, int dy, Vector<T> inside)
    {
        T* values = stackalloc T[Vector<T>.Count];
        for (int lane = 0; lane < Vector<T>.Count; lane++)
        {
            long offset = Offset(lane, dx, dy, inside);
            values[lane] = offset >= 0 ? plane[offset] : T.Zero;
        }
        return Unsafe.ReadUnaligned<Vector<T>>(values);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSet(Vector<T> mask, int lane) => !T.IsZero(mask[lane]); // all bits set reads as NaN
}
