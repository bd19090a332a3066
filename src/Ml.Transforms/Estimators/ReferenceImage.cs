using Ml.Transforms.Imaging;
using static TorchSharp.torch;

namespace Ml.Transforms.Estimators;

/// <summary>Loads the reference image of a learned alignment (<see cref="AlignmentTarget.Reference"/>): read as RGB, resized (antialiased bilinear) to the output size.</summary>
internal static class ReferenceImage
{
    public static Tensor Load(string path, int channels, int height, int width)
    {
        using var scope = NewDisposeScope();
        Tensor image;
        try
        {
            image = ImageTensors.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"ReferenceImagePath: {e.Message}", e);
        }
        if (image.shape[1] != channels)
            throw new ArgumentException(
                $"The reference image '{path}' has {image.shape[1]} channels (images are read as RGB) but the input column has {channels}. Use a {channels}-channel input or an RGB image column.");
        var resized = image.shape[2] == height && image.shape[3] == width
            ? image
            : nn.functional.interpolate(image, [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        return resized.MoveToOuterDisposeScope();
    }
}
