using System.Numerics;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// Bilinear reads of one vector of source points, for the fused forward kernel: built once per sample point, then
/// read from every channel plane. Implementations: <see cref="BilinearTaps{T}"/> (any T, any CPU) and
/// <see cref="PairedTaps"/> (float32 with AVX2).
/// </summary>
internal unsafe interface ITaps<T, TSelf> where T : unmanaged where TSelf : struct, ITaps<T, TSelf>
{
    /// <summary>The taps of source points (pixel coordinates after the padding map).</summary>
    static abstract TSelf Create(Vector<T> x, Vector<T> y, long width, long height);

    /// <summary>Bilinear value of one channel plane (H, W), contiguous rows; taps outside the input read 0.</summary>
    Vector<T> Interpolate(T* plane);
}
