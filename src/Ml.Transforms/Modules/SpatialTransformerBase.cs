using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// Shared part of the spatial transformers: input checks and the resampling of an image with warp parameters at the
/// output (downsampled) size with the sampler under test. Grids take the device and dtype of the image.
/// </summary>
public abstract class SpatialTransformerBase : nn.Module<Tensor, Tensor>
{
    /// <summary>Validates and keeps <paramref name="options"/>. Derived in this library only (<see cref="SpatialTransformer"/>, <see cref="InverseCompositionalSpatialTransformer"/>).</summary>
    private protected SpatialTransformerBase(string name, SpatialTransformerOptions options) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The architecture this module was built with (do not change it afterwards).</summary>
    public SpatialTransformerOptions Options { get; }

    /// <summary>
    /// Noise source of the Linearized sampler when <see cref="SpatialTransformerOptions.SamplerOptions"/> carries no
    /// generator. Training loops set it for the length of a run (and clear it after), so they never write to the
    /// caller's options object.
    /// </summary>
    internal Generator? NoiseGenerator { get; set; }

    /// <summary>The geometric predictor (localization network).</summary>
    internal abstract GeometricPredictor Predictor { get; }

    /// <summary>Predicts the warp of each image and resamples it at the output size.</summary>
    /// <param name="image">(N, C, H, W) with the size given in the options.</param>
    /// <param name="initialWarp">(N, P) warp the prediction starts from (e.g. a training perturbation); null = identity.</param>
    /// <returns>
    /// <c>Rectified</c>: (N, C, Hout, Wout), the input sampled with the final warp at the output size;
    /// <c>Parameters</c>: (N, P), the final warp parameters (the initial warp composed with the predicted ones).
    /// </returns>
    public abstract (Tensor Rectified, Tensor Parameters) Transform(Tensor image, Tensor? initialWarp = null);

    /// <summary>The rectified image (N, C, Hout, Wout).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var result = Transform(input);
        return result.Rectified.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The sampler the module uses now: the configured one while training with gradients on; in eval mode or without
    /// gradients Linearized becomes exactly bilinear (its no-grad forward), so scoring is deterministic.
    /// </summary>
    public SamplingMode CurrentSampler =>
        Options.Sampler == SamplingMode.Linearized && !(training && is_grad_enabled()) ? SamplingMode.Bilinear : Options.Sampler;

    /// <summary>Samples <paramref name="image"/> with the warps <paramref name="parameters"/> at the output size.</summary>
    private protected Tensor Resample(Tensor image, Tensor parameters) =>
        Resample(image, parameters, Options.OutputHeightInUse, Options.OutputWidthInUse, CurrentSampler);

    /// <summary>Samples <paramref name="image"/> with the warps at the given size and mode, with this module's padding and alignment.</summary>
    private protected Tensor Resample(Tensor image, Tensor parameters, long height, long width, SamplingMode mode)
    {
        using var scope = NewDisposeScope();
        var grid = WarpGrid.ToGrid(parameters, Options.Warp, height, width, Options.AlignCorners, Options.FrameScale);
        var samplerOptions = NoiseGenerator is null ? Options.SamplerOptions : Options.SamplerOptions.WithGenerator(NoiseGenerator);
        return GridSampler.GridSample(image, grid, mode, Options.Padding, Options.AlignCorners, samplerOptions)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Checks the image against the options and returns the initial warp (identity when none is given).</summary>
    private protected Tensor StartingWarp(Tensor image, Tensor? initialWarp)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 4 || image.shape[1] != Options.Channels || image.shape[2] != Options.ImageHeight || image.shape[3] != Options.ImageWidth)
            throw new ArgumentException(
                $"{GetName()} was built for images (N, {Options.Channels}, {Options.ImageHeight}, {Options.ImageWidth}); got shape [{string.Join(", ", image.shape)}]. Resize the images or build the module with matching options.",
                nameof(image));
        if (initialWarp is null)
            return WarpMatrices.Identity(Options.Warp, image.shape[0], image.dtype, image.device);
        WarpMatrices.CheckParameters(initialWarp, Options.Warp, nameof(initialWarp));
        if (initialWarp.shape[0] != image.shape[0])
            throw new ArgumentException($"initialWarp has {initialWarp.shape[0]} rows but the batch has {image.shape[0]} images.", nameof(initialWarp));
        return initialWarp.to(image.dtype, image.device);
    }
}
