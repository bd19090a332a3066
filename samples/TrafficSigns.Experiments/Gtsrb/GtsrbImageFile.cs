using Microsoft.ML.Data;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>A decoded image: row-major interleaved 8-bit RGB, <c>Width * Height * 3</c> bytes.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Rgb">The samples, 0..255.</param>
internal sealed record RgbImage(int Width, int Height, byte[] Rgb);

/// <summary>
/// Decodes a GTSRB image file of either layout: PPM (the official layout, <see cref="PpmImage"/>) or PNG / JPEG (the
/// Kaggle layout, decoded by ML.NET's <see cref="MLImage"/>, i.e. SkiaSharp); an alpha channel is dropped.
/// </summary>
internal static class GtsrbImageFile
{
    /// <summary>Whether ML.NET's <c>LoadImages</c> reads the file as it is (PNG, JPEG); PPM files need converting.</summary>
    public static bool IsMLNetReadable(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg";

    /// <summary>Reads and decodes the image.</summary>
    /// <param name="path">A <c>.ppm</c> file, or a PNG / JPEG file.</param>
    /// <returns>The pixels.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed image of its kind.</exception>
    public static RgbImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (string.Equals(Path.GetExtension(path), ".ppm", StringComparison.OrdinalIgnoreCase))
        {
            var ppm = PpmImage.Read(path);
            return new RgbImage(ppm.Width, ppm.Height, ppm.Rgb);
        }
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        MLImage image;
        try
        {
            image = MLImage.CreateFromFile(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IOException && e is not FileNotFoundException)
        {
            throw new InvalidDataException($"Image file '{path}' could not be decoded as PNG or JPEG: {e.Message}", e);
        }
        using (image)
            return ToRgb(image, path);
    }

    private static RgbImage ToRgb(MLImage image, string path)
    {
        (int r, int b) = image.PixelFormat switch
        {
            MLPixelFormat.Rgba32 => (0, 2),
            MLPixelFormat.Bgra32 => (2, 0),
            _ => throw new InvalidDataException($"Image file '{path}' decoded to the pixel format {image.PixelFormat}; expected 32-bit RGBA or BGRA."),
        };
        var pixels = image.Pixels;
        var rgb = new byte[image.Width * image.Height * 3];
        if (pixels.Length < rgb.Length / 3 * 4)
            throw new InvalidDataException($"Image file '{path}' decoded to {pixels.Length} bytes for {image.Width}x{image.Height} pixels.");
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = pixels[j + r];
            rgb[i + 1] = pixels[j + 1];
            rgb[i + 2] = pixels[j + b];
        }
        return new RgbImage(image.Width, image.Height, rgb);
    }
}
