namespace Ml.Transforms.Alignment;

/// <summary>The gradient-descent rule <see cref="SpatialAlignment.Align"/> updates the warp parameters with.</summary>
public enum AlignmentOptimizer
{
    /// <summary>Plain gradient descent: Δ ← Δ - lr·∇. The step scales with the gradient, so the learning rate depends on the image's contrast.</summary>
    Sgd,

    /// <summary>Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8): steps of about lr per parameter whatever the gradient's scale.</summary>
    Adam,
}
