using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// A drop-in for TorchSharp's <c>nn.functional.grid_sample</c> with linearized multi-sampling (Jiang et al., ICCV 2019)
/// and the multi-scale baseline as extra modes. Same tensors in and out; usable alone, with no ML.NET in sight.
/// </summary>
public static class GridSampler
{
    /// <summary>
    /// Samples <paramref name="input"/> at the normalized points of <paramref name="grid"/>.
    /// The result lives on the input's device with the input's dtype.
    /// </summary>
    /// <param name="input">(N, C, Hin, Win), floating point.</param>
    /// <param name="grid">(N, Hout, Wout, 2), normalized (x, y) in [-1, 1]; same device and dtype as the input.</param>
    /// <param name="mode">How to read the input; default <see cref="SamplingMode.Bilinear"/>.</param>
    /// <param name="padding">What lies outside the input; default <see cref="PaddingMode.Zeros"/>.</param>
    /// <param name="alignCorners">As in libtorch: true puts -1 and 1 on the centres of the corner pixels, false on their outer edges. Default false.</param>
    /// <param name="options">Linearized / multi-scale settings; null = the paper's defaults.</param>
    /// <returns>(N, C, Hout, Wout).</returns>
    public static Tensor GridSample(
        Tensor input,
        Tensor grid,
        SamplingMode mode = SamplingMode.Bilinear,
        PaddingMode padding = PaddingMode.Zeros,
        bool alignCorners = false,
        SamplerOptions? options = null)
    {
        SamplingArguments.Validate(input, grid);
        options ??= new SamplerOptions();
        options.Validate();
        return mode switch
        {
            SamplingMode.Nearest => LibTorchSampler.Nearest(input, grid, padding, alignCorners),
            SamplingMode.Bilinear => LibTorchSampler.Bilinear(input, grid, padding, alignCorners),
            SamplingMode.Bicubic => BicubicSampler.Sample(input, grid, padding, alignCorners),
            SamplingMode.Linearized => LinearizedSampler.SampleValidated(input, grid, padding, alignCorners, options),
            SamplingMode.MultiScale => MultiScaleSampler.Sample(input, grid, padding, alignCorners, options),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown {nameof(SamplingMode)}."),
        };
    }
}
