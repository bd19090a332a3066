using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// The random offsets of linearized multi-sampling's auxiliary points, in normalized coordinates:
/// e1 ~ N(0, NoiseStrength / Wout) in x and N(0, NoiseStrength / Hout) in y, plus with PushAway
/// e2 ~ N(0, 2 / Win) in x and N(0, 2 / Hin) in y. e1 + e2 is drawn as one Gaussian with the summed variance
/// (the same distribution, half the random numbers). Independent per item, sample and pixel; fresh on every call.
/// </summary>
internal static class AuxiliaryOffsets
{
    /// <summary>Standard deviations of the offsets in x and y (0 when there is no noise at all).</summary>
    public static (double X, double Y) Sigmas(long hOut, long wOut, long hIn, long wIn, SamplerOptions options)
    {
        double noiseX = options.NoiseStrength / wOut, noiseY = options.NoiseStrength / hOut;
        double pushX = options.PushAway ? 2.0 / wIn : 0, pushY = options.PushAway ? 2.0 / hIn : 0;
        return (Math.Sqrt(noiseX * noiseX + pushX * pushX), Math.Sqrt(noiseY * noiseY + pushY * pushY));
    }

    /// <summary>The scale the plane fit divides offsets by: the standard deviation, or 1 where it is 0.</summary>
    public static double FitScale(double sigma) => sigma > 0 ? sigma : 1;

    /// <returns>Offsets in x and y, each (N, M, Hout, Wout), and their fit scales (<see cref="FitScale"/>).</returns>
    public static (Tensor X, Tensor Y, double SigmaX, double SigmaY) Draw(
        long n, long m, long hOut, long wOut, long hIn, long wIn, ScalarType dtype, Device device, SamplerOptions options)
    {
        var (sigmaX, sigmaY) = Sigmas(hOut, wOut, hIn, wIn, options);
        var (x, y) = GaussianNoise.StandardPair(n, m, hOut, wOut, dtype, device, options.Generator);
        return (x.TimesInPlace(sigmaX), y.TimesInPlace(sigmaY), FitScale(sigmaX), FitScale(sigmaY));
    }
}
