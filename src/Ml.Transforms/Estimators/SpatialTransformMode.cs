namespace Ml.Transforms.Estimators;

/// <summary>What <c>mlContext.Transforms.SpatialTransform</c> does.</summary>
public enum SpatialTransformMode
{
    /// <summary>Applies a given warp: fixed parameters, or per-row parameters from a column. <c>Fit</c> learns nothing.</summary>
    Warp,

    /// <summary><c>Fit</c> trains an alignment network that warps each image onto a reference image; <c>Transform</c> runs it (one forward pass per image).</summary>
    AlignToReference,

    /// <summary>Like <see cref="AlignToReference"/>, with the running mean of the aligned training images as the reference (congealing).</summary>
    AlignToMean,
}
