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
    /// <returns>Offsets in x and y, each (N, M, Hout, Wout), and their standard deviations (1 where there is no noise).</returns>
    public static (Tensor X, Tensor Y, double SigmaX, double SigmaY) Draw(
        long n, long m, long hOut, long wOut, long hIn, long wIn, ScalarType dtype, Device device, SamplerOptions options)
    {
        double noiseX = options.NoiseStrength / wOut, noiseY = options.NoiseStrength / hOut;
        double pushX = options.PushAway ? 2.0 / wIn : 0, pushY = options.PushAway ? 2.0 / hIn : 0;
        double sigmaX = Math.Sqrt(noiseX * noiseX + pushX * pushX);
        double sigmaY = Math.Sqrt(noiseY * noiseY + pushY * pushY);

        var (x, y) = GaussianNoise.StandardPair(new[] { n, m, hOut, wOut }, dtype, device, options.Generator);
        return (x.mul_(sigmaX), y.mul_(sigmaY), sigmaX > 0 ? sigmaX : 1, sigmaY > 0 ? sigmaY : 1);
    }
}
