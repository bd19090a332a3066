using static TorchSharp.torch;

namespace Ml.Transforms.Alignment;

/// <summary>What <see cref="SpatialAlignment.Align"/> found.</summary>
/// <param name="Parameters">
/// (N, P) warp parameters of the chosen family, detached, on the inputs' device with their dtype: the full warp from the
/// output frame into the image (initial warp included). The caller owns (disposes) it.
/// </param>
/// <param name="LossCurve">
/// Mean over the batch of each row's mean squared difference, once per gradient step, measured (with the optimised
/// sampler's forward value) before that step's update; with coarse-to-fine the stages follow one another.
/// </param>
/// <param name="Converged">
/// Per batch row: whether its loss had levelled off by the end (see <see cref="SpatialAlignmentOptions.ConvergenceTolerance"/>).
/// Informational only: every row always runs all the steps.
/// </param>
/// <param name="FinalLosses">
/// Per batch row: the mean squared difference at the returned parameters, at the full output size, read by the chosen
/// sampler without a gradient (so Linearized reads exactly bilinearly, without its noise or fitted intercept; the loss
/// curve's Linearized values include the intercept and may be lower).
/// </param>
public sealed record AlignmentResult(
    Tensor Parameters,
    IReadOnlyList<double> LossCurve,
    IReadOnlyList<bool> Converged,
    IReadOnlyList<double> FinalLosses)
{
    /// <summary>Mean of <see cref="FinalLosses"/> over the batch.</summary>
    public double FinalLoss => FinalLosses.Count == 0 ? double.NaN : FinalLosses.Average();

    /// <summary>Whether every batch row converged.</summary>
    public bool AllConverged => Converged.All(c => c);
}
