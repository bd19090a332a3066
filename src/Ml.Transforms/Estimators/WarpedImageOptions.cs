using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Estimators;

/// <summary>
/// The settings <c>WarpImages</c> (<see cref="ImageWarpOptions"/>) and <c>AlignImages</c> (<see cref="LearnedAlignmentOptions"/>)
/// share: how the input is read, warped and sampled, and what comes out. Every default documented; the two differ only
/// in <see cref="Sampler"/> and <see cref="SamplerOptions"/>.
/// </summary>
public abstract class WarpedImageOptions
{
    private protected WarpedImageOptions(SamplingMode sampler, SamplerOptions samplerOptions)
    {
        Sampler = sampler;
        SamplerOptions = samplerOptions;
    }

    /// <summary>Warp family (p = 0 is the identity, see <see cref="WarpFamily"/>). Default <see cref="WarpFamily.Homography"/>.</summary>
    public WarpFamily Warp { get; set; } = WarpFamily.Homography;

    /// <summary>
    /// How the image is read at the warped points. <c>WarpImages</c>: Nearest, Bilinear, Bicubic or MultiScale
    /// (Linearized reads exactly bilinearly: its forward pass is bilinear); default <see cref="SamplingMode.Bilinear"/>.
    /// <c>AlignImages</c>: the sampler the network trains with (scoring samples bilinearly when it is Linearized, with
    /// the mode itself otherwise); default <see cref="SamplingMode.Linearized"/>.
    /// </summary>
    public SamplingMode Sampler { get; set; }

    /// <summary>
    /// Linearized / MultiScale settings. <c>WarpImages</c>: the paper's. <c>AlignImages</c>: the paper's, except
    /// <see cref="SamplerOptions.AddFittedIntercept"/> off — with the intercept in the forward pass the photometric loss
    /// plateaus higher and the learned alignment is worse (measured: docs/results.md, section 5, "AlignImages to a reference").
    /// </summary>
    public SamplerOptions SamplerOptions { get; set; }

    /// <summary>What lies outside the image. Default <see cref="PaddingMode.Zeros"/>.</summary>
    public PaddingMode Padding { get; set; } = PaddingMode.Zeros;

    /// <summary>libtorch's align_corners. Default false.</summary>
    public bool AlignCorners { get; set; }

    /// <summary>Width the input is resized to (images) or has (pixel vectors). Default 64.</summary>
    public int ImageWidth { get; set; } = 64;

    /// <summary>Height the input is resized to (images) or has (pixel vectors). Default 64.</summary>
    public int ImageHeight { get; set; } = 64;

    /// <summary>Channels of a pixel-vector input (images are read as RGB, 3). Default 3.</summary>
    public int Channels { get; set; } = 3;

    /// <summary>Output width; null (default) = <see cref="ImageWidth"/>.</summary>
    public int? OutputWidth { get; set; }

    /// <summary>Output height; null (default) = <see cref="ImageHeight"/>.</summary>
    public int? OutputHeight { get; set; }

    /// <summary>Also output each row's warp parameters in this float-vector column (P values); null (default) = no such column.</summary>
    public string? WarpColumnName { get; set; }

    /// <summary>The module settings these options stand for.</summary>
    internal virtual SpatialTransformerOptions ToModuleOptions() => new()
    {
        Warp = Warp,
        Sampler = Sampler,
        SamplerOptions = SamplerOptions,
        Padding = Padding,
        AlignCorners = AlignCorners,
        Channels = Channels,
        ImageHeight = ImageHeight,
        ImageWidth = ImageWidth,
        OutputHeight = OutputHeight ?? ImageHeight,
        OutputWidth = OutputWidth ?? ImageWidth,
    };

    /// <summary>Throws, naming the setting, when one of the shared settings cannot work.</summary>
    private protected void ValidateWarpedImage()
    {
        if (OutputWidth is < 1) throw new ArgumentOutOfRangeException(nameof(OutputWidth), OutputWidth, "Must be ≥ 1 (or null for ImageWidth).");
        if (OutputHeight is < 1) throw new ArgumentOutOfRangeException(nameof(OutputHeight), OutputHeight, "Must be ≥ 1 (or null for ImageHeight).");
        ToModuleOptions().Validate();
    }
}
