using Ml.Transforms.Geometry;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The inverse-compositional spatial transformer (Lin and Lucey, CVPR 2017): <see cref="SpatialTransformerOptions.WarpSteps"/>
/// recurrent steps with ONE shared predictor. Each step warps the ORIGINAL image with the current parameters p at the
/// output (downsampled) size with the sampler under test, predicts an update Δp from that warped image and composes
/// p ← p ∘ Δp; a last resampling gives the output. The predictor is built for the output size.
/// </summary>
public sealed class InverseCompositionalSpatialTransformer : SpatialTransformerBase
{
    private readonly GeometricPredictor predictor;

    /// <summary>Builds the IC-STN; the predictor is sized for the output (downsampled) image.</summary>
    public InverseCompositionalSpatialTransformer(SpatialTransformerOptions? options = null)
        : base(nameof(InverseCompositionalSpatialTransformer), options ?? new SpatialTransformerOptions())
    {
        predictor = new GeometricPredictor(Options.Channels, Options.OutputHeightInUse, Options.OutputWidthInUse, Options.Warp.ParameterCount(),
            Options.PredictorChannels[0], Options.PredictorChannels[1], Options.MaximumKernelSize, Options.StandardizeImages);
        RegisterComponents();
    }

    /// <inheritdoc />
    internal override GeometricPredictor Predictor => predictor;

    /// <inheritdoc />
    public override (Tensor Rectified, Tensor Parameters) Transform(Tensor image, Tensor? initialWarp = null)
    {
        using var scope = NewDisposeScope();
        var parameters = StartingWarp(image, initialWarp);
        for (int step = 0; step < Options.WarpSteps; step++)
        {
            var warped = Resample(image, parameters);
            parameters = WarpComposition.Compose(parameters, predictor.forward(warped), Options.Warp);
        }
        var rectified = Resample(image, parameters);
        return (rectified.MoveToOuterDisposeScope(), parameters.MoveToOuterDisposeScope());
    }
}
