using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Estimators;

/// <summary>Settings of <c>mlContext.Transforms.WarpImages</c> (a given warp, nothing learned); every default documented.</summary>
public sealed class ImageWarpOptions : WarpedImageOptions
{
    /// <summary>Settings with every default: a Bilinear sampler with the paper's <see cref="Sampling.SamplerOptions"/>.</summary>
    public ImageWarpOptions() : base(SamplingMode.Bilinear, new SamplerOptions())
    {
    }

    /// <summary>The same warp for every row: P values of <see cref="WarpedImageOptions.Warp"/>'s family, normalized [-1, 1] frame. Set this or <see cref="ParametersColumnName"/>.</summary>
    public float[]? Parameters { get; set; }

    /// <summary>A warp per row: the name of a float-vector column of P parameters (instead of <see cref="Parameters"/>).</summary>
    public string? ParametersColumnName { get; set; }

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        ValidateWarpedImage();
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
