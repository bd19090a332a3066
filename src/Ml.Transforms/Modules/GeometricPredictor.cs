using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The localization network of the IC-STN paper's GTSRB experiment: conv k×k C→c1, ReLU, conv k×k c1→c2, ReLU, fully
/// connected → P warp parameters. The last layer starts at zero, so an untrained predictor outputs the identity.
/// </summary>
public sealed class GeometricPredictor : nn.Module<Tensor, Tensor>
{
    private readonly ImageStandardization? standardize;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc;

    /// <summary>Builds the predictor for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public GeometricPredictor(int channels, int height, int width, int parameterCount, int channels1 = 6, int channels2 = 24, int maximumKernelSize = 7, bool standardizeInput = true)
        : base(nameof(GeometricPredictor))
    {
        (KernelSize, ConvolutionPadding) = ConvolutionSizing.For(Math.Min(height, width), maximumKernelSize, minimumOutput: 1);
        ImageHeight = height;
        ImageWidth = width;
        standardize = standardizeInput ? new ImageStandardization() : null;
        conv1 = nn.Conv2d(channels, channels1, KernelSize, padding: ConvolutionPadding);
        conv2 = nn.Conv2d(channels1, channels2, KernelSize, padding: ConvolutionPadding);
        int features = channels2 * ConvolutionSizing.AfterTwoConvolutions(height, KernelSize, ConvolutionPadding) * ConvolutionSizing.AfterTwoConvolutions(width, KernelSize, ConvolutionPadding);
        fc = nn.Linear(features, parameterCount);
        using (no_grad())
        {
            fc.weight!.zero_();
            fc.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Zero padding of both convolutions (0 = VALID, the paper's; 1 on small inputs).</summary>
    public int ConvolutionPadding { get; }

    /// <summary>Kernel size in use: <see cref="SpatialTransformerOptions.MaximumKernelSize"/> (7), or 3 where that no longer fits (see <see cref="ConvolutionSizing"/>).</summary>
    public int KernelSize { get; }

    /// <summary>Height the predictor was built for.</summary>
    public int ImageHeight { get; }

    /// <summary>Width the predictor was built for.</summary>
    public int ImageWidth { get; }

    /// <summary>(N, C, H, W) → (N, P) parameter updates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(conv1.forward(standardize?.forward(input) ?? input));
        x = nn.functional.relu(conv2.forward(x));
        return fc.forward(x.flatten(1)).MoveToOuterDisposeScope();
    }
}
