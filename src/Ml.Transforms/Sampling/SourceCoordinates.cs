using Ml.Transforms.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Normalized ↔ pixel coordinates and the padding maps, as libtorch's grid sampler computes them
/// (<c>grid_sampler_unnormalize</c>, <c>reflect_coordinates</c>, <c>clip_coordinates</c>).
/// </summary>
internal static class SourceCoordinates
{
    /// <summary>Normalized [-1, 1] → pixel coordinate (0 = centre of the first pixel).</summary>
    public static Tensor Unnormalize(Tensor coordinate, long size, bool alignCorners) =>
        alignCorners
            ? coordinate.Plus(1).Times((size - 1) / 2.0)
            : coordinate.Plus(1).Times(size).Minus(1).Over(2.0);

    /// <summary>Maps pixel coordinates outside the input back inside for Border and Reflection; Zeros leaves them.</summary>
    public static Tensor ApplyPadding(Tensor pixel, long size, PaddingMode padding, bool alignCorners)
    {
        switch (padding)
        {
            case PaddingMode.Zeros:
                return pixel;
            case PaddingMode.Border:
                return pixel.Clamped(0, size - 1);
            case PaddingMode.Reflection:
                var reflected = alignCorners
                    ? Reflect(pixel, 0, 2 * (size - 1))
                    : Reflect(pixel, -1, 2 * size - 1);
                return reflected.Clamped(0, size - 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Unknown {nameof(PaddingMode)}.");
        }
    }

    /// <summary>Reflects coordinates into [twiceLow / 2, twiceHigh / 2] (libtorch's <c>reflect_coordinates</c>).</summary>
    private static Tensor Reflect(Tensor pixel, long twiceLow, long twiceHigh)
    {
        if (twiceLow == twiceHigh)
            return zeros_like(pixel);
        double min = twiceLow / 2.0;
        double span = (twiceHigh - twiceLow) / 2.0;
        using var spanScalar = span.ToScalar();
        var distance = pixel.Minus(min).abs();
        var extra = distance.fmod(spanScalar);
        var flips = distance.Over(span).floor();
        var even = flips.remainder(KeptScalars.Two).eq(KeptScalars.Zero);
        return where(even, extra.Plus(min), extra.SubtractedFrom(span).Plus(min));
    }
}
