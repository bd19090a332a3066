using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// Per-image standardization: each image (all channels together) minus its mean, divided by sqrt(variance + ε).
/// Removes the brightness and contrast differences of real photographs (GTSRB has very dark and very bright signs)
/// before a convolution sees them; no parameters.
/// </summary>
internal sealed class ImageStandardization : nn.Module<Tensor, Tensor>
{
    /// <summary>Added to the variance; keeps flat images finite. 1e-2 for images in [0, 1] (a std of 0.1).</summary>
    public const double Epsilon = 1e-2;

    /// <summary>Creates the module.</summary>
    public ImageStandardization() : base(nameof(ImageStandardization)) { }

    /// <summary>(N, C, H, W) → (N, C, H, W) standardized per image.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var mean = input.mean([1, 2, 3], keepdim: true);
        var centred = input - mean;
        var variance = centred.square().mean([1, 2, 3], keepdim: true);
        return (centred * variance.Plus(Epsilon).rsqrt()).MoveToOuterDisposeScope();
    }
}
