namespace Ml.Transforms.Modules;

/// <summary>Which geometric front end a <see cref="SpatialClassifier"/> has.</summary>
public enum SpatialArchitecture
{
    /// <summary>No transformer: the classifier sees the input downsampled (identity warp, bilinear) — the paper's "Baseline w/o STN".</summary>
    None,

    /// <summary><see cref="SpatialTransformer"/>: one predicted warp.</summary>
    Stn,

    /// <summary><see cref="InverseCompositionalSpatialTransformer"/>: recurrent warp updates with one shared predictor.</summary>
    InverseCompositionalStn,
}
