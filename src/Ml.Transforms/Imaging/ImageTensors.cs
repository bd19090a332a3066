using Microsoft.ML.Data;
using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Imaging;

/// <summary>Image files and ML.NET images as (1, 3, H, W) float tensors in [0, 1], RGB order.</summary>
public static class ImageTensors
{
    /// <summary>Decodes an image file (PNG, JPEG, BMP, GIF, WebP, ... through ML.NET's image decoder).</summary>
    /// <param name="path">The image file.</param>
    /// <param name="device">Where the tensor goes; default the CPU.</param>
    /// <returns>(1, 3, H, W), float32, RGB in [0, 1].</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image the decoder reads, or is damaged (the message names it).</exception>
    public static Tensor Load(string path, ComputeDevice device = ComputeDevice.Cpu)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        using var image = ImageDecoder.Decode(path);
        return FromImage(image, device);
    }

    /// <summary>Converts an ML.NET image.</summary>
    /// <param name="image">Any image ML.NET decoded.</param>
    /// <param name="device">Where the tensor goes; default the CPU.</param>
    /// <returns>(1, 3, H, W), float32, RGB in [0, 1].</returns>
    public static Tensor FromImage(MLImage image, ComputeDevice device = ComputeDevice.Cpu)
    {
        ArgumentNullException.ThrowIfNull(image);
        int h = image.Height, w = image.Width;
        (int r, int g, int b) = image.PixelFormat switch
        {
            MLPixelFormat.Rgba32 => (0, 1, 2),
            MLPixelFormat.Bgra32 => (2, 1, 0),
            _ => throw new NotSupportedException($"Pixel format {image.PixelFormat} is not supported; expected Rgba32 or Bgra32."),
        };
        var pixels = image.Pixels;
        var planes = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++)
        {
            planes[i] = pixels[4 * i + r] / 255f;
            planes[plane + i] = pixels[4 * i + g] / 255f;
            planes[2 * plane + i] = pixels[4 * i + b] / 255f;
        }
        return tensor(planes, new long[] { 1, 3, h, w }).to(ComputeDevices.Resolve(device));
    }
}
