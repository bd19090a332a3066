using Ml.Transforms.Devices;
using System.Globalization;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using static TorchSharp.torch;

namespace Ml.Trainers.Training;

/// <summary>
/// Watches where the learned warps sample during an epoch: the fraction of the classifier's sampling-grid points (the
/// final warps of the training batches, perturbation included) that fall outside the input image, |x| or |y| &gt; 1 in
/// the normalized frame. A predictor whose learning rate is far too high throws its warps off the image and the
/// classifier then sees padding; the loss stays finite, so only this catches it. Above <see cref="Limit"/> for a whole
/// epoch, training stops with an <see cref="InvalidOperationException"/> naming GeometricLearningRate
/// (docs/learning-rate-bounds.md, "The classifier's predictor").
/// </summary>
internal sealed class WarpCoverage
{
    /// <summary>The largest fraction of grid points outside the image an epoch may have: three quarters (healthy runs,
    /// perturbation included, stay well below; docs/learning-rate-bounds.md).</summary>
    public const double Limit = 0.75;

    private readonly SpatialTransformerOptions transformer;
    private long outside;
    private long total;

    public WarpCoverage(SpatialClassifier model) => transformer = model.Options.Transformer;

    /// <summary>The fraction of the points added since the last <see cref="Reset"/>; NaN before any.</summary>
    public double OutsideFraction => total == 0 ? double.NaN : (double)outside / total;

    /// <summary>Adds the grid points of one batch's final warps (N, P); no gradient.</summary>
    public void Add(Tensor parameters)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var t = transformer;
        var grid = WarpGrid.ToGrid(parameters.detach(), t.Warp, t.OutputHeightInUse, t.OutputWidthInUse, t.AlignCorners, t.FrameScale);
        // A NaN coordinate is outside too (the comparison alone would count it as inside).
        var beyond = grid.abs().gt(KeptScalars.One).logical_or(grid.isnan()).any(3);
        outside += beyond.sum().item<long>();
        total += beyond.numel();
    }

    /// <summary>Starts a new epoch.</summary>
    public void Reset() => (outside, total) = (0, 0);

    /// <summary>Throws when the epoch's fraction is above <see cref="Limit"/>.</summary>
    /// <param name="epoch">The epoch just finished (1-based).</param>
    /// <param name="geometricLearningRate">The predictor's learning rate in use.</param>
    /// <param name="defaultRate">What it would be left unset (null), for the message.</param>
    public void Check(int epoch, double geometricLearningRate, double defaultRate)
    {
        double fraction = OutsideFraction;
        if (!(fraction > Limit))
            return;
        throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
            "Training stopped after epoch {0}: the learned warps sampled {1:P0} of the classifier's grid points outside the " +
            "image (more than {2:P0}), so the classifier mostly saw padding. The predictor's learning rate " +
            "(GeometricLearningRate {3}) is too high: lower it, e.g. to the default (leave it null: {4}). " +
            "No model was kept (docs/learning-rate-bounds.md).",
            epoch, fraction, Limit, geometricLearningRate, defaultRate));
    }
}
