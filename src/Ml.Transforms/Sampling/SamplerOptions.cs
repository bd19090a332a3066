using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Settings of the linearized and multi-scale samplers. Every default is the paper's (and its authors' release's).
/// Nearest, Bilinear and Bicubic ignore these options.
/// </summary>
public sealed class SamplerOptions
{
    /// <summary>Default of <see cref="SampleCount"/>.</summary>
    public const int DefaultSampleCount = 8;

    /// <summary>Default of <see cref="NoiseStrength"/>.</summary>
    public const double DefaultNoiseStrength = 0.5;

    /// <summary>
    /// Linearized: K, the number of samples per output pixel — the query point itself and K - 1 auxiliary points.
    /// At least 2; with fewer than 4 the 3-parameter fit is underdetermined and gives a zero gradient. Default 8.
    /// </summary>
    public int SampleCount { get; set; } = DefaultSampleCount;

    /// <summary>
    /// Linearized: standard deviation of the auxiliary offsets in OUTPUT pixels' normalized size: the offsets are
    /// N(0, NoiseStrength / Wout) in x and N(0, NoiseStrength / Hout) in y, normalized coordinates (a [-1, 1] frame is
    /// 2 wide, so 0.5 is a quarter of an output pixel). Non-negative. Default 0.5.
    /// </summary>
    public double NoiseStrength { get; set; } = DefaultNoiseStrength;

    /// <summary>
    /// Linearized: add a second offset N(0, 2 / Win) in x and N(0, 2 / Hin) in y (one INPUT pixel), so auxiliary samples
    /// leave the query point's pixel even when the output is finer than the input. Default true.
    /// </summary>
    public bool PushAway { get; set; } = true;

    /// <summary>
    /// Linearized: the forward value is bilinear(p0) plus the fitted plane's intercept c (detached), i.e. the plane's
    /// value at p0, as the authors' release does. False: exactly bilinear(p0). Default true.
    /// </summary>
    public bool AddFittedIntercept { get; set; } = true;

    /// <summary>
    /// MultiScale: number of pyramid levels (level 0 = the input, each next one 2× average-pooled). 0 = automatic:
    /// down to about the output resolution, 1 + round(log2(min(Hin / Hout, Win / Wout))), at least 1. Default 0.
    /// </summary>
    public int Levels { get; set; }

    /// <summary>
    /// Linearized: source of the auxiliary noise. Seed it for reproducible runs; null uses libtorch's global generator.
    /// On the CPU each call draws one number from it, the seed of that call's counter-based stream (so the noise does
    /// not depend on the thread count); on other devices libtorch's <c>randn</c> draws all of it (a generator on another
    /// device than the grid draws there and the noise is copied). Default null.
    /// </summary>
    public Generator? Generator { get; set; }

    /// <summary>A copy of these settings whose generator is this one's, or <paramref name="fallback"/> when this one has none.</summary>
    internal SamplerOptions WithGenerator(Generator? fallback)
    {
        var copy = Clone();
        copy.Generator = Generator ?? fallback;
        return copy;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (SampleCount < 2)
            throw new ArgumentOutOfRangeException(nameof(SampleCount), SampleCount,
                $"{nameof(SamplerOptions)}.{nameof(SampleCount)} must be at least 2 (the query point and one auxiliary sample); the paper uses 8.");
        if (!double.IsFinite(NoiseStrength) || NoiseStrength < 0)
            throw new ArgumentOutOfRangeException(nameof(NoiseStrength), NoiseStrength,
                $"{nameof(SamplerOptions)}.{nameof(NoiseStrength)} must be a finite number >= 0 (default {DefaultNoiseStrength}).");
        if (Levels < 0)
            throw new ArgumentOutOfRangeException(nameof(Levels), Levels,
                $"{nameof(SamplerOptions)}.{nameof(Levels)} must be >= 0 (0 = automatic).");
    }

    /// <summary>A copy (the generator, if any, is shared).</summary>
    internal SamplerOptions Clone() => (SamplerOptions)MemberwiseClone();
}
