using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The spatial transformer (Jaderberg et al.): the geometric predictor sees the input at its full size and predicts a
/// warp; the input is resampled ONCE with that warp at the output (downsampled) size with the sampler under test.
/// With an initial warp p0 the predictor sees the input warped by p0 (bilinear, full size) and the image is resampled
/// with p0 ∘ Δp, so a perturbation and its correction cost a single resampling. With a canonical frame smaller than the
/// input (<see cref="SpatialTransformerOptions.FrameScale"/>) the predictor always sees the frame (warped by p0, or by
/// the identity), at the frame's size in input pixels.
/// </summary>
public sealed class SpatialTransformer : SpatialTransformerBase
{
    private readonly GeometricPredictor predictor;

    /// <summary>Builds the STN; the predictor is sized for the full input.</summary>
    public SpatialTransformer(SpatialTransformerOptions? options = null) : base(nameof(SpatialTransformer), options ?? new SpatialTransformerOptions())
    {
        predictor = new GeometricPredictor(Options.Channels, Options.PredictorHeightInUse, Options.PredictorWidthInUse, Options.Warp.ParameterCount(),
            Options.PredictorChannels[0], Options.PredictorChannels[1], Options.MaximumKernelSize, Options.StandardizeImages);
        RegisterComponents();
    }

    /// <inheritdoc />
    internal override GeometricPredictor Predictor => predictor;

    /// <inheritdoc />
    public override (Tensor Rectified, Tensor Parameters) Transform(Tensor image, Tensor? initialWarp = null)
    {
        using var scope = NewDisposeScope();
        var start = StartingWarp(image, initialWarp);
        var seen = initialWarp is null && Options.FrameScale == 1
            ? image
            : Resample(image, start, Options.PredictorHeightInUse, Options.PredictorWidthInUse, SamplingMode.Bilinear);
        var update = predictor.forward(seen);
        var parameters = initialWarp is null ? update : WarpComposition.Compose(start, update, Options.Warp);
        var rectified = Resample(image, parameters);
        return (rectified.MoveToOuterDisposeScope(), parameters.MoveToOuterDisposeScope());
    }
}
