namespace Ml.Transforms.Modules;

/// <summary>Architecture of a <see cref="SpatialClassifier"/>; defaults are the IC-STN paper's GTSRB networks for 32×32 RGB.</summary>
public sealed class SpatialClassifierOptions
{
    /// <summary>Geometric front end. Default <see cref="SpatialArchitecture.InverseCompositionalStn"/>.</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>Number of classes (required, ≥ 2). Default 43 (GTSRB).</summary>
    public int ClassCount { get; set; } = 43;

    /// <summary>
    /// Output channels of the classifier's two convolutions; null (default) = <see cref="ClassifierWidths.For"/> the
    /// output size (the paper's parameter count per downsampling factor).
    /// </summary>
    public int[]? ClassifierChannels { get; set; }

    /// <summary>Odd kernel size of the classifier's convolutions (padded to keep the size). Default 3.</summary>
    public int ClassifierKernelSize { get; set; } = 3;

    /// <summary>Max-pooling size after the classifier's convolutions. Default 2.</summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>
    /// Probability of dropping each of the classifier's pooled features before its fully connected layer while training
    /// (inverted dropout; nothing changes when scoring or in the exported graph), in [0, 1). Default 0 (the paper's
    /// networks have none).
    /// </summary>
    public double ClassifierDropout { get; set; }

    /// <summary>Input size, downsampling, warp, sampler and predictor (also used by the baseline for its input and output sizes).</summary>
    public SpatialTransformerOptions Transformer { get; set; } = new();

    /// <summary>The classifier's (c1, c2): <see cref="ClassifierChannels"/>, or the default widths for the output size.</summary>
    public (int First, int Second) ClassifierChannelsInUse => ClassifierChannels is [var a, var b]
        ? (a, b)
        : ClassifierWidths.For(Math.Min(Transformer.OutputHeightInUse, Transformer.OutputWidthInUse));

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, $"Unknown {nameof(SpatialArchitecture)}.");
        if (ClassCount < 2) throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "A classifier needs at least 2 classes.");
        if (ClassifierChannels is not null && (ClassifierChannels.Length != 2 || ClassifierChannels.Any(c => c < 1)))
            throw new ArgumentException("ClassifierChannels must hold two positive channel counts, e.g. [32, 64], or be null for the default widths.", nameof(ClassifierChannels));
        if (ClassifierKernelSize < 1 || ClassifierKernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(ClassifierKernelSize), ClassifierKernelSize, "Must be odd and ≥ 1, e.g. 3.");
        if (!(ClassifierDropout >= 0 && ClassifierDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(ClassifierDropout), ClassifierDropout, "Must be in [0, 1): the probability of dropping a feature while training, e.g. 0.5; 0 = no dropout.");
        if (PoolSize < 1) throw new ArgumentOutOfRangeException(nameof(PoolSize), PoolSize, "Must be ≥ 1.");
        (Transformer ?? throw new ArgumentNullException(nameof(Transformer))).Validate();
    }
}
