using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The convolutional trunk that <see cref="ConvolutionalClassifier"/> and <see cref="GeometricPredictor"/> share:
/// optional per-image standardization (<see cref="ImageStandardization"/>), conv k×k C→c1, ReLU, conv k×k c1→c2, ReLU,
/// both convolutions with the same kernel size and zero padding. Its weights are saved under <c>trunk.</c>
/// (<c>trunk.conv1.weight</c>, …) in the owner's state dict.
/// </summary>
internal sealed class ConvolutionalTrunk : nn.Module<Tensor, Tensor>
{
    private readonly ImageStandardization? standardize;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;

    /// <summary>Builds the trunk.</summary>
    /// <param name="channels">Input channels C.</param>
    /// <param name="channels1">Output channels of the first convolution.</param>
    /// <param name="channels2">Output channels of the second convolution.</param>
    /// <param name="kernelSize">Kernel size of both convolutions.</param>
    /// <param name="padding">Zero padding of both convolutions.</param>
    /// <param name="standardizeInput">Standardize each image first.</param>
    public ConvolutionalTrunk(int channels, int channels1, int channels2, int kernelSize, int padding, bool standardizeInput)
        : base(nameof(ConvolutionalTrunk))
    {
        KernelSize = kernelSize;
        Padding = padding;
        OutputChannels = channels2;
        standardize = standardizeInput ? new ImageStandardization() : null;
        conv1 = nn.Conv2d(channels, channels1, kernelSize, padding: padding);
        conv2 = nn.Conv2d(channels1, channels2, kernelSize, padding: padding);
        RegisterComponents();
    }

    /// <summary>Kernel size of both convolutions.</summary>
    public int KernelSize { get; }

    /// <summary>Zero padding of both convolutions.</summary>
    public int Padding { get; }

    /// <summary>Channels of the output, c2.</summary>
    public int OutputChannels { get; }

    /// <summary>Whether each image is standardized before the first convolution.</summary>
    public bool Standardizes => standardize is not null;

    /// <summary>Spatial size of the output for an input side of <paramref name="size"/> pixels.</summary>
    public int OutputSize(int size) => ConvolutionSizing.AfterTwoConvolutions(size, KernelSize, Padding);

    /// <summary>(N, C, H, W) → (N, c2, H', W').</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(conv1.forward(standardize?.forward(input) ?? input));
        return nn.functional.relu(conv2.forward(x)).MoveToOuterDisposeScope();
    }
}
