using Ml.Transforms.Checks;

namespace Ml.Transforms.Training;

/// <summary>
/// The learning-rate schedules of the library's optimizers, as a factor of the base rate at a step: the training
/// loop's (linear warm-up, then <see cref="LearningRateSchedule"/>) and per-image alignment's (a cosine to a final
/// fraction). Both cosines are <see cref="HalfCosine"/>.
/// </summary>
internal static class LearningRateScaling
{
    /// <summary>The training loop's factor: linear warm-up, then the schedule (the cosine reaches 0 one step after the last).</summary>
    /// <param name="schedule">The schedule after the warm-up.</param>
    /// <param name="step">0-based optimizer step.</param>
    /// <param name="totalSteps">Steps of the whole run.</param>
    /// <param name="warmupSteps">Steps of the linear warm-up from 1/warmupSteps to 1 (0 = none).</param>
    public static double Factor(LearningRateSchedule schedule, long step, long totalSteps, long warmupSteps)
    {
        if (step < warmupSteps)
            return (step + 1.0) / warmupSteps;
        switch (schedule)
        {
            case LearningRateSchedule.Constant:
                return 1;
            case LearningRateSchedule.Cosine:
                if (totalSteps <= warmupSteps)
                    return 1;
                return HalfCosine((double)(step - warmupSteps) / (totalSteps - warmupSteps), 0);
            default:
                throw UnknownEnum.Value(schedule, nameof(schedule));
        }
    }

    /// <summary>
    /// Per-image alignment's factor (<see cref="Alignment.SpatialAlignmentOptions.FinalLearningRateFraction"/>): a cosine
    /// from 1 at a stage's first step down to <paramref name="finalFraction"/> at its last.
    /// </summary>
    /// <param name="step">0-based step within the stage.</param>
    /// <param name="steps">Steps of the stage.</param>
    /// <param name="finalFraction">The factor at the last step, in [0, 1].</param>
    public static double CosineToFraction(long step, long steps, double finalFraction) =>
        HalfCosine(steps <= 1 ? 0 : (double)step / (steps - 1), finalFraction);

    /// <summary>Half a cosine (Loshchilov and Hutter, SGDR) from 1 at progress 0 to <paramref name="final"/> at progress 1.</summary>
    private static double HalfCosine(double progress, double final) => final + (1 - final) * 0.5 * (1 + Math.Cos(Math.PI * progress));
}
