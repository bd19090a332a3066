namespace Ml.Transforms.Modules;

/// <summary>Architecture of a <see cref="SpatialClassifier"/>; defaults are the IC-STN paper's GTSRB networks for 32×32 RGB.</summary>
public sealed class SpatialClassifierOptions
{
    /// <summary>Geometric front end. Default <see cref="SpatialArchitecture.InverseCompositionalStn"/>.</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>Number of classes (required, ≥ 2). Default 43 (GTSRB).</summary>
    public int ClassCount { get; set; } = 43;

    /// <summary>Output channels of the classifier's two convolutions. Default (6, 12).</summary>
    public int[] ClassifierChannels { get; set; } = [6, 12];

    /// <summary>Max-pooling size after the classifier's convolutions. Default 2.</summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>Input size, downsampling, warp, sampler and predictor (also used by the baseline for its input and output sizes).</summary>
    public SpatialTransformerOptions Transformer { get; set; } = new();

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, $"Unknown {nameof(SpatialArchitecture)}.");
        if (ClassCount < 2) throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "A classifier needs at least 2 classes.");
        if (ClassifierChannels is not { Length: 2 } || ClassifierChannels.Any(c => c < 1))
            throw new ArgumentException("ClassifierChannels must hold two positive channel counts, e.g. [6, 12].", nameof(ClassifierChannels));
        if (PoolSize < 1) throw new ArgumentOutOfRangeException(nameof(PoolSize), PoolSize, "Must be ≥ 1.");
        (Transformer ?? throw new ArgumentNullException(nameof(Transformer))).Validate();
    }
}
