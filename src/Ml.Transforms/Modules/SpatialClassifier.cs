using Ml.Transforms.Checks;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// An image classifier with an optional spatial transformer in front: STN, IC-STN, or none (the baseline, which sees
/// the input downsampled by the same factor through the identity warp). <c>forward</c> gives logits.
/// </summary>
public sealed class SpatialClassifier : nn.Module<Tensor, Tensor>
{
    private readonly SpatialTransformerBase? transformer;
    private readonly ConvolutionalClassifier classifier;

    /// <summary>Builds the networks described by <paramref name="options"/> (validated).</summary>
    public SpatialClassifier(SpatialClassifierOptions? options = null) : base(nameof(SpatialClassifier))
    {
        options ??= new SpatialClassifierOptions();
        options.Validate();
        Options = options;
        var t = options.Transformer;
        transformer = options.Architecture switch
        {
            SpatialArchitecture.Stn => new SpatialTransformer(t),
            SpatialArchitecture.InverseCompositionalStn => new InverseCompositionalSpatialTransformer(t),
            SpatialArchitecture.None => null,
            _ => throw UnknownEnum.Value(options.Architecture, nameof(SpatialClassifierOptions.Architecture)),
        };
        var (first, second) = options.ClassifierChannelsInUse;
        classifier = new ConvolutionalClassifier(t.Channels, t.OutputHeightInUse, t.OutputWidthInUse, options.ClassCount,
            first, second, options.ClassifierKernelSize, options.PoolSize, t.StandardizeImages, options.ClassifierDropout);
        RegisterComponents();
    }

    /// <summary>The architecture (do not change it afterwards).</summary>
    public SpatialClassifierOptions Options { get; }

    /// <summary>The spatial transformer; null for <see cref="SpatialArchitecture.None"/>.</summary>
    public SpatialTransformerBase? Transformer => transformer;

    /// <summary>The classifier head.</summary>
    internal ConvolutionalClassifier Classifier => classifier;

    /// <summary>Trainable parameters of the classifier head (the number the paper's table lists per downsampling).</summary>
    public long ClassifierParameterCount => Count(classifier);

    /// <summary>Trainable parameters of the geometric predictor (0 for the baseline).</summary>
    public long GeometricParameterCount => transformer is null ? 0 : Count(transformer);

    /// <summary>All trainable parameters.</summary>
    public long ParameterCount => ClassifierParameterCount + GeometricParameterCount;

    /// <summary>Runs the networks on a batch.</summary>
    /// <param name="image">(N, C, H, W) at the input size of the options.</param>
    /// <param name="initialWarp">(N, P) starting warp, e.g. a training perturbation; null = identity.</param>
    /// <returns>
    /// <c>Logits</c>: (N, classes); <c>Rectified</c>: (N, C, Hout, Wout), what the classifier saw; <c>Parameters</c>:
    /// (N, P), the final warp parameters (the initial warp, or the identity, for the baseline).
    /// </returns>
    public (Tensor Logits, Tensor Rectified, Tensor Parameters) Run(Tensor image, Tensor? initialWarp = null)
    {
        using var scope = NewDisposeScope();
        var warped = transformer is not null ? transformer.Transform(image, initialWarp) : Downsample(image, initialWarp);
        var logits = classifier.forward(warped.Rectified);
        return (logits.MoveToOuterDisposeScope(), warped.Rectified.MoveToOuterDisposeScope(), warped.Parameters.MoveToOuterDisposeScope());
    }

    /// <summary>(N, C, H, W) → (N, classes) logits.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Run(input).Logits.MoveToOuterDisposeScope();
    }

    private (Tensor Rectified, Tensor Parameters) Downsample(Tensor image, Tensor? initialWarp)
    {
        var t = Options.Transformer;
        if (image.dim() != 4 || image.shape[1] != t.Channels || image.shape[2] != t.ImageHeight || image.shape[3] != t.ImageWidth)
            throw new ArgumentException(
                $"The classifier was built for images (N, {t.Channels}, {t.ImageHeight}, {t.ImageWidth}); got shape [{string.Join(", ", image.shape)}].",
                nameof(image));
        var parameters = initialWarp?.to(image.dtype, image.device) ?? WarpMatrices.Identity(t.Warp, image.shape[0], image.dtype, image.device);
        var grid = WarpGrid.ToGrid(parameters, t.Warp, t.OutputHeightInUse, t.OutputWidthInUse, t.AlignCorners, t.FrameScale);
        return (GridSampler.GridSample(image, grid, SamplingMode.Bilinear, t.Padding, t.AlignCorners), parameters);
    }

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());
}
