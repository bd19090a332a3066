using Ml.Transforms.Sampling;

namespace TrafficSigns.Experiments.Alignment;

/// <summary>One cell of <see cref="AlignmentRecall"/>'s table: one strength, one sampler, one downsampling factor.</summary>
/// <param name="Strength">Perturbation strength σ in crop units.</param>
/// <param name="Sampler">The sampler the warp was optimised through.</param>
/// <param name="Downsampling">The factor f.</param>
/// <param name="OutputSize">The side of the output (and of the resized reference), round(CropSize / f).</param>
/// <param name="Trials">Perturbations aligned.</param>
/// <param name="Successes">Trials whose final mean corner error is below the threshold.</param>
/// <param name="MeanCornerError">Mean over the trials of the final mean corner error, output pixels (over the finite ones; see <paramref name="Diverged"/>).</param>
/// <param name="MedianCornerError">Median over the trials of the final mean corner error, output pixels (a diverged trial counts as +∞).</param>
/// <param name="InitialSuccesses">Trials already below the threshold at the start (no optimisation): the floor recall must be read against.</param>
/// <param name="MeanInitialCornerError">Mean over the trials of the starting mean corner error, output pixels.</param>
/// <param name="Diverged">Trials whose estimate became non-finite (counted as failures).</param>
internal sealed record AlignmentRecallRow(
    double Strength,
    SamplingMode Sampler,
    int Downsampling,
    int OutputSize,
    int Trials,
    int Successes,
    double MeanCornerError,
    double MedianCornerError,
    int InitialSuccesses,
    double MeanInitialCornerError,
    int Diverged)
{
    /// <summary>Successes / Trials, in [0, 1].</summary>
    public double Recall => (double)Successes / Trials;

    /// <summary>InitialSuccesses / Trials: the recall of not moving at all.</summary>
    public double InitialRecall => (double)InitialSuccesses / Trials;
}
