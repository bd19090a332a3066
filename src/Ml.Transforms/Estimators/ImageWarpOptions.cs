using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Estimators;

/// <summary>Settings of <c>mlContext.Transforms.WarpImages</c> (a given warp, nothing learned); every default documented.</summary>
public sealed class ImageWarpOptions
{
    /// <summary>Warp family of <see cref="Parameters"/> (p = 0 is the identity, see <see cref="WarpFamily"/>). Default <see cref="WarpFamily.Homography"/>.</summary>
    public WarpFamily Warp { get; set; } = WarpFamily.Homography;

    /// <summary>The same warp for every row: P values of <see cref="Warp"/>'s family, normalized [-1, 1] frame. Set this or <see cref="ParametersColumnName"/>.</summary>
    public float[]? Parameters { get; set; }

    /// <summary>A warp per row: the name of a float-vector column of P parameters (instead of <see cref="Parameters"/>).</summary>
    public string? ParametersColumnName { get; set; }

    /// <summary>
    /// How the image is read at the warped points: Nearest, Bilinear, Bicubic or MultiScale (Linearized reads exactly
    /// bilinearly here: its forward pass is bilinear). Default <see cref="SamplingMode.Bilinear"/>.
    /// </summary>
    public SamplingMode Sampler { get; set; } = SamplingMode.Bilinear;

    /// <summary>MultiScale settings (its pyramid levels). Default: the paper's.</summary>
    public SamplerOptions SamplerOptions { get; set; } = new();

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

    internal SpatialTransformerOptions ToModuleOptions() => new()
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

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (OutputWidth is < 1) throw new ArgumentOutOfRangeException(nameof(OutputWidth), OutputWidth, "Must be ≥ 1 (or null for ImageWidth).");
        if (OutputHeight is < 1) throw new ArgumentOutOfRangeException(nameof(OutputHeight), OutputHeight, "Must be ≥ 1 (or null for ImageHeight).");
        ToModuleOptions().Validate();
        if ((Parameters is null) == (ParametersColumnName is null))
            throw new ArgumentException("WarpImages needs exactly one of Parameters (the same warp for every row) or ParametersColumnName (a warp per row).", nameof(Parameters));
        if (Parameters is not null)
        {
            int p = Warp.ParameterCount();
            if (Parameters.Length != p)
                throw new ArgumentException($"A {Warp} warp has {p} parameters; Parameters holds {Parameters.Length}.", nameof(Parameters));
            if (Parameters.Any(v => !float.IsFinite(v)))
                throw new ArgumentException("Parameters must be finite numbers.", nameof(Parameters));
            WarpSingularity.ThrowIfSingular(Parameters, Warp, nameof(Parameters));
        }
    }
}
