namespace Ml.Transforms.Training;

/// <summary>How the training loop changes the learning rates over a run (every parameter group alike), after the warm-up (<see cref="TrainingOptions.WarmupEpochs"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary>The learning rates stay as set (after the warm-up, if any).</summary>
    Constant,

    /// <summary>After the warm-up, a half cosine from the set rates down to zero at the last step (Loshchilov and Hutter, SGDR).</summary>
    Cosine,
}
