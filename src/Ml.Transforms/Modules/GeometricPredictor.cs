using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The localization network of the IC-STN paper's GTSRB experiment: the <see cref="ConvolutionalTrunk"/> it shares with
/// <see cref="ConvolutionalClassifier"/> (optional per-image standardization, conv k×k C→c1, ReLU, conv k×k c1→c2, ReLU),
/// fully connected → P warp parameters. The last layer starts at zero, so an untrained predictor outputs the identity.
/// </summary>
internal sealed class GeometricPredictor : nn.Module<Tensor, Tensor>
{
    private readonly ConvolutionalTrunk trunk;
    private readonly Linear fc;

    /// <summary>Builds the predictor for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public GeometricPredictor(int channels, int height, int width, int parameterCount, int channels1 = 6, int channels2 = 24, int maximumKernelSize = 7, bool standardizeInput = true)
        : base(nameof(GeometricPredictor))
    {
        var (kernel, padding) = ConvolutionSizing.For(Math.Min(height, width), maximumKernelSize, minimumOutput: 1);
        ImageHeight = height;
        ImageWidth = width;
        trunk = new ConvolutionalTrunk(channels, channels1, channels2, kernel, padding, standardizeInput);
        int features = trunk.OutputChannels * trunk.OutputSize(height) * trunk.OutputSize(width);
        fc = nn.Linear(features, parameterCount);
        using (no_grad())
        {
            fc.weight!.zero_();
            fc.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Zero padding of both convolutions (0 = VALID, the paper's; 1 on small inputs).</summary>
    public int ConvolutionPadding => trunk.Padding;

    /// <summary>Kernel size in use: <see cref="SpatialTransformerOptions.MaximumKernelSize"/> (7), or 3 where that no longer fits (see <see cref="ConvolutionSizing"/>).</summary>
    public int KernelSize => trunk.KernelSize;

    /// <summary>The two convolutions (shared layout with <see cref="ConvolutionalClassifier"/>).</summary>
    internal ConvolutionalTrunk Trunk => trunk;

    /// <summary>Height the predictor was built for.</summary>
    public int ImageHeight { get; }

    /// <summary>Width the predictor was built for.</summary>
    public int ImageWidth { get; }

    /// <summary>(N, C, H, W) → (N, P) parameter updates.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc.forward(trunk.forward(input).flatten(1)).MoveToOuterDisposeScope();
    }
}
