using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Modules;

/// <summary>
/// Architecture of a spatial transformer (the geometric part: predictor + warp + sampler). Defaults are the IC-STN paper's
/// GTSRB experiment adapted to 32×32 RGB input.
/// </summary>
public sealed class SpatialTransformerOptions
{
    /// <summary>Warp family predicted. Default <see cref="WarpFamily.Homography"/>.</summary>
    public WarpFamily Warp { get; set; } = WarpFamily.Homography;

    /// <summary>Sampler used while training. Default <see cref="SamplingMode.Linearized"/>. In eval mode Linearized samples bilinearly (its no-grad path); the other modes keep their own deterministic forward.</summary>
    public SamplingMode Sampler { get; set; } = SamplingMode.Linearized;

    /// <summary>
    /// Settings of the Linearized / MultiScale samplers (K, noise, generator...). Default: the paper's, except
    /// <see cref="SamplerOptions.AddFittedIntercept"/> off, so the forward value while training is exactly the bilinear
    /// sample the module uses in eval mode and in the exported ONNX graph (only the gradient comes from the fit). With the
    /// intercept on, the classifier trains on a noisy local-plane image and is scored on the bilinear one, and the
    /// mismatch costs test accuracy (measured: docs/results.md, section 1, "The recipe, and what each change did").
    /// </summary>
    public SamplerOptions SamplerOptions { get; set; } = new() { AddFittedIntercept = false };

    /// <summary>What lies outside the image. Default <see cref="PaddingMode.Zeros"/>.</summary>
    public PaddingMode Padding { get; set; } = PaddingMode.Zeros;

    /// <summary>libtorch's align_corners for grids and sampling. Default false.</summary>
    public bool AlignCorners { get; set; }

    /// <summary>Image channels C. Default 3.</summary>
    public int Channels { get; set; } = 3;

    /// <summary>Height of the images the network takes. Default 32 (the shared GTSRB images).</summary>
    public int ImageHeight { get; set; } = 32;

    /// <summary>Width of the images the network takes. Default 32.</summary>
    public int ImageWidth { get; set; } = 32;

    /// <summary>Downsampling factor of the warped output: output size = input size / factor (rounded down). Default 1; the paper uses 1, 2, 4, 8.</summary>
    public int Downsampling { get; set; } = 1;

    /// <summary>Recurrent steps of the inverse-compositional STN (ignored by the plain STN). Default 4.</summary>
    public int WarpSteps { get; set; } = 4;

    /// <summary>Output channels of the predictor's two convolutions. Default (6, 24).</summary>
    public int[] PredictorChannels { get; set; } = [6, 24];

    /// <summary>
    /// Largest kernel of the predictor's convolutions; where a VALID convolution of that size no longer fits it becomes 3
    /// (see <see cref="ConvolutionSizing"/>). Default 7.
    /// </summary>
    public int MaximumKernelSize { get; set; } = 7;

    /// <summary>
    /// The predictor and the classifier standardize each image they see (zero mean, unit variance; see
    /// <see cref="ImageStandardization"/>). Default true: an addition to the paper's networks that makes SGD converge in
    /// a few epochs on real photographs instead of stalling at chance for many.
    /// </summary>
    public bool StandardizeImages { get; set; } = true;

    /// <summary>
    /// The canonical frame — what the identity warp shows — as a fraction of the input's width and height, centred.
    /// 1 (default) = the whole input. Below 1 the network looks at the central part of each image, as the IC-STN paper's
    /// traffic-sign code does (36×36 of 50×50: 0.72): warps and perturbations are in the frame's coordinates, every warp
    /// reads the whole input (so a zoom-out or a perturbation shows the image's real surroundings, not padding), and the
    /// plain STN's predictor sees the frame, at <see cref="PredictorHeightInUse"/>×<see cref="PredictorWidthInUse"/>.
    /// In (0, 4].
    /// </summary>
    public double FrameScale { get; set; } = 1;

    /// <summary>
    /// Height of the plain STN predictor's input: <see cref="ImageHeight"/> for the whole-image frame, else the frame's
    /// height in input pixels, round(<see cref="ImageHeight"/> · <see cref="FrameScale"/>).
    /// </summary>
    public int PredictorHeightInUse => FrameScale == 1 ? ImageHeight : Math.Max(1, (int)Math.Round(ImageHeight * FrameScale));

    /// <summary>Width of the plain STN predictor's input (see <see cref="PredictorHeightInUse"/>).</summary>
    public int PredictorWidthInUse => FrameScale == 1 ? ImageWidth : Math.Max(1, (int)Math.Round(ImageWidth * FrameScale));

    /// <summary>Height of the warped output; null (default) = <see cref="ImageHeight"/> / <see cref="Downsampling"/> (rounded down). The size in use is <see cref="OutputHeightInUse"/>.</summary>
    public int? OutputHeight { get; set; }

    /// <summary>Width of the warped output; null (default) = <see cref="ImageWidth"/> / <see cref="Downsampling"/> (rounded down). The size in use is <see cref="OutputWidthInUse"/>.</summary>
    public int? OutputWidth { get; set; }

    /// <summary>Height of the warped output in use: <see cref="OutputHeight"/>, or the image height / <see cref="Downsampling"/>.</summary>
    public int OutputHeightInUse => OutputHeight ?? ImageHeight / Math.Max(1, Downsampling);

    /// <summary>Width of the warped output in use: <see cref="OutputWidth"/>, or the image width / <see cref="Downsampling"/>.</summary>
    public int OutputWidthInUse => OutputWidth ?? ImageWidth / Math.Max(1, Downsampling);

    /// <summary>A copy that shares nothing mutable with this one (a module built from it is not changed by later edits here).</summary>
    internal SpatialTransformerOptions Clone()
    {
        var copy = (SpatialTransformerOptions)MemberwiseClone();
        copy.PredictorChannels = (int[])PredictorChannels.Clone();
        copy.SamplerOptions = SamplerOptions.Clone();
        return copy;
    }

    /// <summary>
    /// The settings of the predictor network (<see cref="WarpSteps"/>, <see cref="PredictorChannels"/>,
    /// <see cref="MaximumKernelSize"/>, <see cref="StandardizeImages"/>) not at their defaults: what a given warp, which
    /// has no network, refuses.
    /// </summary>
    internal IEnumerable<string> ChangedNetworkSettings()
    {
        var defaults = new SpatialTransformerOptions();
        if (WarpSteps != defaults.WarpSteps) yield return nameof(WarpSteps);
        if (!PredictorChannels.SequenceEqual(defaults.PredictorChannels)) yield return nameof(PredictorChannels);
        if (MaximumKernelSize != defaults.MaximumKernelSize) yield return nameof(MaximumKernelSize);
        if (StandardizeImages != defaults.StandardizeImages) yield return nameof(StandardizeImages);
    }

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (Channels < 1) throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Must be ≥ 1.");
        if (ImageWidth < 1) throw new ArgumentOutOfRangeException(nameof(ImageWidth), ImageWidth, "Must be ≥ 1.");
        if (ImageHeight < 1) throw new ArgumentOutOfRangeException(nameof(ImageHeight), ImageHeight, "Must be ≥ 1.");
        if (Downsampling < 1) throw new ArgumentOutOfRangeException(nameof(Downsampling), Downsampling, "Must be ≥ 1 (1, 2, 4, 8 in the paper).");
        if (OutputWidth is < 1) throw new ArgumentOutOfRangeException(nameof(OutputWidth), OutputWidth, "Must be ≥ 1 (or null for ImageWidth / Downsampling).");
        if (OutputHeight is < 1) throw new ArgumentOutOfRangeException(nameof(OutputHeight), OutputHeight, "Must be ≥ 1 (or null for ImageHeight / Downsampling).");
        if (OutputHeightInUse < 1 || OutputWidthInUse < 1)
            throw new ArgumentOutOfRangeException(nameof(Downsampling), Downsampling, $"Downsampling {ImageWidth}×{ImageHeight} by {Downsampling} leaves no pixel; use a smaller factor.");
        if (!(FrameScale > 0 && FrameScale <= 4))
            throw new ArgumentOutOfRangeException(nameof(FrameScale), FrameScale, "Must be in (0, 4]: the canonical frame's size as a fraction of the input (1 = the whole input).");
        if (WarpSteps < 1) throw new ArgumentOutOfRangeException(nameof(WarpSteps), WarpSteps, "Must be ≥ 1.");
        if (PredictorChannels is not { Length: 2 } || PredictorChannels.Any(c => c < 1))
            throw new ArgumentException("PredictorChannels must hold two positive channel counts, e.g. [6, 24].", nameof(PredictorChannels));
        if (MaximumKernelSize < 1) throw new ArgumentOutOfRangeException(nameof(MaximumKernelSize), MaximumKernelSize, "Must be ≥ 1.");
        if (!Enum.IsDefined(Warp)) throw new ArgumentOutOfRangeException(nameof(Warp), Warp, $"Unknown {nameof(WarpFamily)}.");
        if (!Enum.IsDefined(Sampler)) throw new ArgumentOutOfRangeException(nameof(Sampler), Sampler, $"Unknown {nameof(SamplingMode)}.");
        if (!Enum.IsDefined(Padding)) throw new ArgumentOutOfRangeException(nameof(Padding), Padding, $"Unknown {nameof(PaddingMode)}.");
        (SamplerOptions ?? throw new ArgumentNullException(nameof(SamplerOptions))).Validate();
    }
}
