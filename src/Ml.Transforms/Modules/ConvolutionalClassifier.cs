using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The classification network: the <see cref="ConvolutionalTrunk"/> it shares with <see cref="GeometricPredictor"/>
/// (optional per-image standardization, conv k×k C→c1, ReLU, conv k×k c1→c2, ReLU), max-pool, optional dropout while
/// training, fully connected → classes.
/// The convolutions keep the image size (padding (k − 1) / 2). With the default widths
/// (<see cref="ClassifierWidths"/>) its parameter count is that of the linearized-sampling paper's classifier for each
/// downsampling factor.
/// </summary>
internal sealed class ConvolutionalClassifier : nn.Module<Tensor, Tensor>
{
    private readonly ConvolutionalTrunk trunk;
    private readonly MaxPool2d pool;
    private readonly Dropout? dropout;
    private readonly Linear fc;

    /// <summary>Builds the classifier for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    /// <param name="channels">Input channels C.</param>
    /// <param name="height">Input height (the warped, downsampled image).</param>
    /// <param name="width">Input width.</param>
    /// <param name="classCount">Outputs (logits).</param>
    /// <param name="channels1">Output channels of the first convolution.</param>
    /// <param name="channels2">Output channels of the second convolution.</param>
    /// <param name="kernelSize">Odd kernel size of both convolutions.</param>
    /// <param name="poolSize">Max-pooling size (reduced when the image is smaller).</param>
    /// <param name="standardizeInput">Standardize each image first (<see cref="ImageStandardization"/>).</param>
    /// <param name="dropout">Probability of zeroing each pooled feature before the fully connected layer while training
    /// (inverted dropout: identity when evaluating); 0 = no dropout layer at all.</param>
    public ConvolutionalClassifier(int channels, int height, int width, int classCount, int channels1, int channels2, int kernelSize = 3,
        int poolSize = 2, bool standardizeInput = true, double dropout = 0)
        : base(nameof(ConvolutionalClassifier))
    {
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "Must be odd and ≥ 1 (the convolutions keep the image size).");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Must be in [0, 1).");
        PoolSize = Math.Max(1, Math.Min(poolSize, Math.Min(height, width)));
        trunk = new ConvolutionalTrunk(channels, channels1, channels2, kernelSize, (kernelSize - 1) / 2, standardizeInput);
        pool = nn.MaxPool2d(PoolSize);
        this.dropout = dropout > 0 ? nn.Dropout(dropout) : null;
        fc = nn.Linear(trunk.OutputChannels * (trunk.OutputSize(height) / PoolSize) * (trunk.OutputSize(width) / PoolSize), classCount);
        RegisterComponents();
    }

    /// <summary>Zero padding of both convolutions, (k − 1) / 2.</summary>
    public int ConvolutionPadding => trunk.Padding;

    /// <summary>Kernel size of both convolutions.</summary>
    public int KernelSize => trunk.KernelSize;

    /// <summary>The two convolutions (shared layout with <see cref="GeometricPredictor"/>).</summary>
    internal ConvolutionalTrunk Trunk => trunk;

    /// <summary>Max-pooling size in use (the asked size, or less when the image is smaller).</summary>
    public int PoolSize { get; }

    /// <summary>(N, C, H, W) → (N, classes) logits.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = pool.forward(trunk.forward(input)).flatten(1);
        if (dropout is not null) features = dropout.forward(features);
        return fc.forward(features).MoveToOuterDisposeScope();
    }
}
