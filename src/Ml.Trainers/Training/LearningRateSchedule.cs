namespace Ml.Trainers.Training;

/// <summary>How <see cref="TrainingEngine"/> changes the learning rates over a run (both parameter groups alike).</summary>
public enum LearningRateSchedule
{
    /// <summary>The learning rates stay as set (after the warm-up, if any).</summary>
    Constant,

    /// <summary>After the warm-up, a half cosine from the set rates down to zero at the last step (Loshchilov and Hutter, SGDR).</summary>
    Cosine,
}
