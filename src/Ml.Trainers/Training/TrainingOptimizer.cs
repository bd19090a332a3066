namespace Ml.Trainers.Training;

/// <summary>The update rule of <see cref="TrainingEngine"/>.</summary>
public enum TrainingOptimizer
{
    /// <summary>Stochastic gradient descent with optional momentum (the IC-STN paper's, without momentum).</summary>
    Sgd,

    /// <summary>Adam (Kingma and Ba) with decoupled weight decay (AdamW) when <see cref="TrainingOptions.WeightDecay"/> &gt; 0.</summary>
    Adam,
}
