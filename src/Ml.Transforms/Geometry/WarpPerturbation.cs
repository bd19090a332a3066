using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Geometry;

/// <summary>Strength of random warps: the IC-STN paper's traffic-sign protocol. Defaults are that paper's.</summary>
internal sealed class PerturbationOptions
{
    /// <summary>Standard deviation of each corner's independent move, in the [-1, 1] frame. Default 0.25.</summary>
    public double CornerStrength { get; set; } = 0.25;

    /// <summary>Standard deviation of the translation shared by the four corners, in the [-1, 1] frame. Default 0.25.</summary>
    public double TranslationStrength { get; set; } = 0.25;

    /// <summary>Both strengths σ: what every public option (<c>PerturbationStrength</c>) means.</summary>
    public static PerturbationOptions Of(double strength) => new() { CornerStrength = strength, TranslationStrength = strength };

    /// <summary>Throws when a strength is negative or not finite.</summary>
    public void Validate()
    {
        if (!(CornerStrength >= 0) || double.IsInfinity(CornerStrength))
            throw new ArgumentOutOfRangeException(nameof(CornerStrength), CornerStrength, "Must be a finite number ≥ 0.");
        if (!(TranslationStrength >= 0) || double.IsInfinity(TranslationStrength))
            throw new ArgumentOutOfRangeException(nameof(TranslationStrength), TranslationStrength, "Must be a finite number ≥ 0.");
    }
}

/// <summary>
/// Random warps for training-time perturbation and alignment experiments (Lin and Lucey, IC-STN, traffic signs): the four
/// corners of the [-1, 1] square each move by N(0, σc²) per coordinate, all four together by one more N(0, σt²), and the
/// warp of the chosen family is fitted to the moved corners (exact for homographies, least squares otherwise).
/// </summary>
internal static class WarpPerturbation
{
    /// <summary>Draws <paramref name="count"/> random warps.</summary>
    /// <param name="family">Family of the warps returned.</param>
    /// <param name="count">Number of warps N.</param>
    /// <param name="options">Strengths; null = the defaults (σ = 0.25).</param>
    /// <param name="generator">Seeded generator for reproducible draws (on <paramref name="device"/>); null = the global one.</param>
    /// <param name="dtype">dtype of the result.</param>
    /// <param name="device">device of the result.</param>
    /// <returns>(N, P) parameters; M(p) maps each canonical corner to its moved place.</returns>
    public static Tensor Sample(WarpFamily family, long count, PerturbationOptions? options = null, Generator? generator = null,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Must be ≥ 0.");
        options ??= new PerturbationOptions();
        options.Validate();
        using var scope = NewDisposeScope();
        var corners = randn(count, 4, 2, dtype: ScalarType.Float64, device: device, generator: generator).Times(options.CornerStrength);
        var shift = randn(count, 1, 2, dtype: ScalarType.Float64, device: device, generator: generator).Times(options.TranslationStrength);
        var source = WarpFitting.CanonicalCorners(ScalarType.Float64, device).expand(count, 4, 2);
        var parameters = WarpFitting.Fit(family, source, source.Plus(corners).Plus(shift));
        return parameters.to(dtype).MoveToOuterDisposeScope();
    }
}
