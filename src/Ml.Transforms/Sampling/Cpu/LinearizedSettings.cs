namespace Ml.Transforms.Sampling.Cpu;

/// <summary>Everything the fused kernels need to know about one linearized sampling call besides its tensors.</summary>
/// <param name="Padding">Padding of every sample.</param>
/// <param name="AlignCorners">As in libtorch's <c>grid_sample</c>.</param>
/// <param name="SampleCount">K: the query point and K − 1 auxiliary points.</param>
/// <param name="SigmaX">Standard deviation of the x offsets (normalized units; 0 = no noise).</param>
/// <param name="SigmaY">Standard deviation of the y offsets.</param>
/// <param name="AddIntercept">Forward value = bilinear(p0) + c rather than bilinear(p0).</param>
/// <param name="Seed">The call's <see cref="CounterNoise"/> stream.</param>
internal readonly record struct LinearizedSettings(
    PaddingMode Padding, bool AlignCorners, int SampleCount, double SigmaX, double SigmaY, bool AddIntercept, ulong Seed)
{
    /// <summary>1 / the scale the fit divides x offsets by (<see cref="AuxiliaryOffsets.FitScale"/>).</summary>
    public double FitScaleX => 1 / AuxiliaryOffsets.FitScale(SigmaX);

    /// <summary>1 / the scale the fit divides y offsets by.</summary>
    public double FitScaleY => 1 / AuxiliaryOffsets.FitScale(SigmaY);

    /// <summary>Settings of a call with these shapes and options; draws the seed from the options' generator.</summary>
    /// <param name="inputHeight">Hin.</param>
    /// <param name="inputWidth">Win.</param>
    /// <param name="outputHeight">Hout.</param>
    /// <param name="outputWidth">Wout.</param>
    /// <param name="padding">Padding mode.</param>
    /// <param name="alignCorners">As in libtorch.</param>
    /// <param name="options">Sampler options (validated).</param>
    public static LinearizedSettings Draw(
        long inputHeight, long inputWidth, long outputHeight, long outputWidth, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        var (sigmaX, sigmaY) = AuxiliaryOffsets.Sigmas(outputHeight, outputWidth, inputHeight, inputWidth, options);
        return new LinearizedSettings(padding, alignCorners, options.SampleCount, sigmaX, sigmaY, options.AddFittedIntercept, NoiseSeed.Draw(options.Generator));
    }
}
