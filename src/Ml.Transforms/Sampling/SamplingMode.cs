namespace Ml.Transforms.Sampling;

/// <summary>How <see cref="GridSampler.GridSample"/> reads the input at each grid point.</summary>
public enum SamplingMode
{
    /// <summary>Nearest pixel (libtorch's <c>grid_sample</c>, mode "nearest"). No gradient to the grid.</summary>
    Nearest,

    /// <summary>Bilinear interpolation of the 4 nearest pixels (libtorch's <c>grid_sample</c>, mode "bilinear").</summary>
    Bilinear,

    /// <summary>
    /// Bicubic convolution (A = -0.75) over the 4×4 nearest pixels, PyTorch's <c>grid_sample</c> "bicubic" algorithm.
    /// TorchSharp 0.107 does not expose libtorch's bicubic grid sampler, so it is composed from libtorch's nearest gather.
    /// </summary>
    Bicubic,

    /// <summary>
    /// Linearized multi-sampling (Jiang et al., ICCV 2019): forward is bilinear (plus the fitted intercept by default),
    /// the gradient to the grid is the slope of a least-squares plane fitted to random auxiliary samples.
    /// </summary>
    Linearized,

    /// <summary>The paper's multi-scale baseline: bilinear samples from an average-pooled pyramid, averaged.</summary>
    MultiScale,
}
