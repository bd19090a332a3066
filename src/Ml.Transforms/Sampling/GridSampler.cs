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
    /// The result lives on the input's device with the input's dtype (float16 and bfloat16 are computed in float32).
    /// With Border padding a grid coordinate may be ±∞ (the border pixel, as libtorch gives) but not NaN; with Reflection
    /// padding it must be finite; such grids are refused with an <see cref="ArgumentException"/> naming the first bad
    /// coordinate before any sampling (libtorch's <c>grid_sample</c> backward crashes the process on them).
    /// </summary>
    /// <param name="input">(N, C, Hin, Win): float32, float64, float16 or bfloat16.</param>
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
        SamplingArguments.CheckFinite(grid, padding);
        if (SamplingArguments.IsReducedPrecision(input.dtype))
        {
            // No sampler reads float16/bfloat16 memory: compute in float32 (differentiably) and hand back the dtype.
            using var scope = NewDisposeScope();
            var full = Dispatch(input.to(ScalarType.Float32), grid.to(ScalarType.Float32), mode, padding, alignCorners, options);
            return full.to(input.dtype).MoveToOuterDisposeScope();
        }
        return Dispatch(input, grid, mode, padding, alignCorners, options);
    }

    private static Tensor Dispatch(Tensor input, Tensor grid, SamplingMode mode, PaddingMode padding, bool alignCorners, SamplerOptions options) =>
        mode switch
        {
            SamplingMode.Nearest => LibTorchSampler.Nearest(input, grid, padding, alignCorners),
            SamplingMode.Bilinear => LibTorchSampler.Bilinear(input, grid, padding, alignCorners),
            SamplingMode.Bicubic => BicubicSampler.Sample(input, grid, padding, alignCorners),
            SamplingMode.Linearized => LinearizedSampler.SampleValidated(input, grid, padding, alignCorners, options),
            SamplingMode.MultiScale => MultiScaleSampler.Sample(input, grid, padding, alignCorners, options),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown {nameof(SamplingMode)}."),
        };
}
