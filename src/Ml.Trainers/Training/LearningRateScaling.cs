using Ml.Transforms.Checks;

namespace Ml.Trainers.Training;

/// <summary>The factor applied to every base learning rate at a given step: linear warm-up, then the schedule.</summary>
internal static class LearningRateScaling
{
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
                double progress = (double)(step - warmupSteps) / (totalSteps - warmupSteps);
                return 0.5 * (1 + Math.Cos(Math.PI * progress));
            default:
                throw UnknownEnum.Value(schedule, nameof(schedule));
        }
    }
}
