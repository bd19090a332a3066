using Microsoft.ML.Data;

namespace Ml.Transforms.Imaging;

/// <summary>
/// ML.NET's image decoder with its errors made plain: for a file it cannot decode ML.NET says "Invalid path" (SkiaSharp
/// returns no image), which names neither the file nor the problem.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Decodes <paramref name="path"/> (PNG, JPEG, BMP, GIF, WebP, … whatever ML.NET's decoder reads).</summary>
    /// <exception cref="InvalidDataException">The file is empty, not an image the decoder reads, damaged, or cannot be read; the message names it.</exception>
    public static MLImage Decode(string path)
    {
        try
        {
            return MLImage.CreateFromFile(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Image file '{path}' could not be decoded: {Problem(path)}.", e);
        }
    }

    /// <summary>What is wrong with a file the decoder refused, in words ("it is empty", …).</summary>
    private static string Problem(string path)
    {
        try
        {
            long length = new FileInfo(path).Length;
            using (File.OpenRead(path)) { }
            return length == 0 ? "it is empty" : $"its {length} bytes are not a PNG, JPEG, BMP, GIF or WebP image, or the image is damaged";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"it cannot be read ({e.Message})";
        }
    }
}
