using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The classifier of the IC-STN paper's GTSRB experiment: conv k×k C→c1, ReLU, conv k×k c1→c2, ReLU, max-pool, fully
/// connected → classes (VALID convolutions; k shrinks on small inputs, see <see cref="ConvolutionSizing"/>).
/// </summary>
public sealed class ConvolutionalClassifier : nn.Module<Tensor, Tensor>
{
    private readonly ImageStandardization? standardize;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly MaxPool2d pool;
    private readonly Linear fc;

    /// <summary>Builds the classifier for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public ConvolutionalClassifier(int channels, int height, int width, int classCount, int channels1 = 6, int channels2 = 12, int maximumKernel = 7, int poolSize = 2, bool standardizeInput = true)
        : base(nameof(ConvolutionalClassifier))
    {
        (KernelSize, Padding) = ConvolutionSizing.For(Math.Min(height, width), maximumKernel, minimumOutput: poolSize);
        int h = ConvolutionSizing.AfterTwoConvolutions(height, KernelSize, Padding), w = ConvolutionSizing.AfterTwoConvolutions(width, KernelSize, Padding);
        PoolSize = Math.Max(1, Math.Min(poolSize, Math.Min(h, w)));
        standardize = standardizeInput ? new ImageStandardization() : null;
        conv1 = nn.Conv2d(channels, channels1, KernelSize, padding: Padding);
        conv2 = nn.Conv2d(channels1, channels2, KernelSize, padding: Padding);
        pool = nn.MaxPool2d(PoolSize);
        fc = nn.Linear(channels2 * (h / PoolSize) * (w / PoolSize), classCount);
        RegisterComponents();
    }

    /// <summary>Zero padding of both convolutions (0 = VALID, the paper's; 1 on small inputs).</summary>
    public int Padding { get; }

    /// <summary>Kernel size in use.</summary>
    public int KernelSize { get; }

    /// <summary>Max-pooling size in use (the asked size, or less when the feature map is smaller).</summary>
    public int PoolSize { get; }

    /// <summary>(N, C, H, W) → (N, classes) logits.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(conv1.forward(standardize?.forward(input) ?? input));
        x = nn.functional.relu(conv2.forward(x));
        x = pool.forward(x);
        return fc.forward(x.flatten(1)).MoveToOuterDisposeScope();
    }
}
