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
/// <param name="InitialLosses">Per batch row: the same measure at the starting parameters.</param>
public sealed record AlignmentResult(
    Tensor Parameters,
    IReadOnlyList<double> LossCurve,
    IReadOnlyList<bool> Converged,
    IReadOnlyList<double> FinalLosses,
    IReadOnlyList<double> InitialLosses)
{
    /// <summary>
    /// Per batch row: the optimisation made things worse or broke — the parameters or the final loss are not finite,
    /// or the final loss is above <see cref="InitialLosses"/> (typically a learning rate too high). Such a row's
    /// parameters are not an alignment; never <see cref="Converged"/>.
    /// </summary>
    public IReadOnlyList<bool> Diverged { get; } = FinalLosses.Select((loss, i) => !double.IsFinite(loss) || loss > InitialLosses[i]).ToArray();

    /// <summary>Whether any batch row <see cref="Diverged"/>.</summary>
    public bool AnyDiverged => Diverged.Any(d => d);

    /// <summary>Mean of <see cref="FinalLosses"/> over the batch.</summary>
    public double FinalLoss => FinalLosses.Count == 0 ? double.NaN : FinalLosses.Average();

    /// <summary>Whether every batch row converged (and none diverged).</summary>
    public bool AllConverged => Converged.All(c => c) && !AnyDiverged;
}
