namespace Ml.Transforms.Training;

/// <summary>
/// The update rule of every training loop of the library: the classifier's (<c>TrainingOptions.Optimizer</c>), the
/// learned alignment's (<c>LearnedAlignmentOptions.Training.Optimizer</c>) and per-image alignment's
/// (<c>SpatialAlignmentOptions.Optimizer</c>).
/// </summary>
public enum TrainingOptimizer
{
    /// <summary>
    /// Stochastic gradient descent, Δ ← Δ − lr·∇ (with momentum where the options have one; the IC-STN paper trains
    /// without). The step scales with the gradient, so a good learning rate depends on the data's scale.
    /// </summary>
    Sgd,

    /// <summary>
    /// Adam (Kingma and Ba; β1 = 0.9, β2 = 0.999, ε = 1e-8): steps of about lr per parameter whatever the gradient's
    /// scale; decoupled weight decay (AdamW) where the options set one.
    /// </summary>
    Adam,
}
