using static TorchSharp.torch;
using Ml.Transforms.Checks;

namespace Ml.Transforms.Geometry;

/// <summary>Composition and inversion of batched warps, through their matrices; differentiable.</summary>
public static class WarpComposition
{
    /// <summary>
    /// p ∘ q: the warp whose matrix is M(p)·M(q) (normalized to M[2,2] = 1). Sampling an image with p ∘ q equals sampling
    /// it with p and then sampling that result with q, so an update q predicted on an image already warped by p is
    /// composed as <c>Compose(p, q)</c>.
    /// </summary>
    /// <param name="p">(N, P).</param>
    /// <param name="q">(N, P) or (1, P) (broadcast).</param>
    /// <param name="family">The family of both.</param>
    /// <returns>(N, P).</returns>
    public static Tensor Compose(Tensor p, Tensor q, WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var product = WarpMatrices.ToMatrix(p, family).matmul(WarpMatrices.ToMatrix(q, family));
        return WarpMatrices.FromMatrix(product, family).MoveToOuterDisposeScope();
    }

    /// <summary>The inverse warp: M(p)⁻¹, normalized. A singular warp gives an exception from the linear solver.</summary>
    /// <param name="p">(N, P).</param>
    /// <param name="family">Its family.</param>
    /// <returns>(N, P).</returns>
    public static Tensor Inverse(Tensor p, WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var inverse = linalg.inv(WarpMatrices.ToMatrix(p, family));
        return WarpMatrices.FromMatrix(inverse, family).MoveToOuterDisposeScope();
    }

    /// <summary>Maps points through the warps: x' = M(p)·x with the perspective divide.</summary>
    /// <param name="p">(N, P).</param>
    /// <param name="points">(N, K, 2) normalized (x, y).</param>
    /// <param name="family">The family of <paramref name="p"/>.</param>
    /// <returns>(N, K, 2).</returns>
    public static Tensor TransformPoints(Tensor p, Tensor points, WarpFamily family)
    {
        TensorChecks.Shape(points.dim() == 3 && points.shape[2] == 2, points, nameof(points), "points", "(N, K, 2)");
        using var scope = NewDisposeScope();
        var homogeneous = cat([points, ones_like(points[.., .., ..1])], 2);
        var mapped = homogeneous.matmul(WarpMatrices.ToMatrix(p, family).transpose(1, 2));
        return (mapped[.., .., ..2] / mapped[.., .., 2..]).MoveToOuterDisposeScope();
    }
}
