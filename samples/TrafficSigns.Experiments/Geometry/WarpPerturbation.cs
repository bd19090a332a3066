using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Geometry;

/// <summary>
/// Random warps of the IC-STN paper's traffic-sign protocol (Lin and Lucey), on the library's public geometry: the four
/// corners of the [-1, 1] square each move by N(0, σ²) per coordinate, all four together by one more N(0, σ²), and the
/// warp of the chosen family is fitted to the moved corners (<see cref="WarpFitting.Fit"/>: exact for homographies,
/// least squares otherwise). The same draws, in the same order, as the library's training perturbation
/// (<c>TrainingOptions.PerturbationStrength</c>), so a seed gives the same warps here and there.
/// </summary>
internal static class WarpPerturbation
{
    /// <summary>Draws <paramref name="count"/> random warps.</summary>
    /// <param name="family">Family of the warps returned.</param>
    /// <param name="count">Number of warps N.</param>
    /// <param name="strength">σ of the corner moves and of the shared translation, in the [-1, 1] frame; finite, ≥ 0.</param>
    /// <param name="generator">Seeded generator for reproducible draws (on <paramref name="device"/>); null = the global one.</param>
    /// <param name="dtype">dtype of the result.</param>
    /// <param name="device">device of the result.</param>
    /// <returns>(N, P) parameters; M(p) maps each canonical corner to its moved place.</returns>
    public static Tensor Sample(WarpFamily family, long count, double strength, Generator? generator = null,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(strength >= 0) || double.IsInfinity(strength))
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Must be a finite number ≥ 0.");
        using var scope = NewDisposeScope();
        var corners = randn(count, 4, 2, dtype: ScalarType.Float64, device: device, generator: generator).Times(strength);
        var shift = randn(count, 1, 2, dtype: ScalarType.Float64, device: device, generator: generator).Times(strength);
        var source = WarpFitting.CanonicalCorners(ScalarType.Float64, device).expand(count, 4, 2);
        var parameters = WarpFitting.Fit(family, source, source.Plus(corners).Plus(shift));
        return parameters.to(dtype).MoveToOuterDisposeScope();
    }
}
