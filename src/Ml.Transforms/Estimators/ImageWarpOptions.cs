using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Settings of <c>mlContext.Transforms.WarpImages</c> (a given warp, nothing learned); every default documented. The
/// warp, the sampler, the sizes and the frame are a <see cref="SpatialTransformerOptions"/>
/// (<see cref="WarpedImageOptions.Transformer"/>) with these defaults for WarpImages: 64×64 input, output the input's
/// size, <see cref="SamplingMode.Bilinear"/> with the paper's <see cref="SamplerOptions"/> (Nearest, Bilinear, Bicubic
/// or MultiScale read as named; Linearized reads exactly bilinearly, its forward pass); the rest are that class's
/// (homography, zero padding, align_corners false, 3 channels for a pixel vector, downsampling 1, the whole input as
/// the frame). Its network settings (<c>WarpSteps</c>, <c>PredictorChannels</c>, <c>MaximumKernelSize</c>,
/// <c>StandardizeImages</c>) describe a predictor, which a given warp does not have: <see cref="Validate"/> refuses
/// them unless they are left at their defaults.
/// </summary>
public sealed class ImageWarpOptions : WarpedImageOptions
{
    /// <summary>Settings with every default (see the class): a 64×64 Bilinear warp with the paper's sampler settings.</summary>
    public ImageWarpOptions() : base(new SpatialTransformerOptions
    {
        ImageWidth = 64,
        ImageHeight = 64,
        Sampler = SamplingMode.Bilinear,
        SamplerOptions = new SamplerOptions(),
    })
    {
    }

    /// <summary>The same warp for every row: P values of <c>Transformer.Warp</c>'s family, normalized [-1, 1] frame. Set this or <see cref="ParametersColumnName"/>.</summary>
    public float[]? Parameters { get; set; }

    /// <summary>A warp per row: the name of a float-vector column of P parameters (instead of <see cref="Parameters"/>).</summary>
    public string? ParametersColumnName { get; set; }

    /// <summary>Throws, naming the setting, when a value cannot work or does not apply to a given warp.</summary>
    public void Validate()
    {
        ValidateTransformer();
        foreach (var setting in Transformer.ChangedNetworkSettings())
            throw new ArgumentException(
                $"Transformer.{setting} describes the predictor network of a learned warp; WarpImages applies a given warp and has no network. Leave it at its default (or use AlignImages to learn the warp).",
                "Transformer." + setting);
        if ((Parameters is null) == (ParametersColumnName is null))
            throw new ArgumentException("WarpImages needs exactly one of Parameters (the same warp for every row) or ParametersColumnName (a warp per row).", nameof(Parameters));
        if (Parameters is not null)
        {
            var warp = Transformer.Warp;
            int p = warp.ParameterCount();
            if (Parameters.Length != p)
                throw new ArgumentException($"A {warp} warp has {p} parameters; Parameters holds {Parameters.Length}.", nameof(Parameters));
            if (Parameters.Any(v => !float.IsFinite(v)))
                throw new ArgumentException("Parameters must be finite numbers.", nameof(Parameters));
            WarpSingularity.ThrowIfSingular(Parameters, warp, nameof(Parameters));
        }
    }
}
