using SkiaSharp;

namespace ScoringService.Imaging;

/// <summary>Encodes a network image (R, G, B planes of floats in [0, 1], channel-major, as the model's Rectified output) as PNG.</summary>
public static class PlanarPng
{
    /// <summary>PNG bytes of the <paramref name="width"/> × <paramref name="height"/> image in <paramref name="planes"/>.</summary>
    /// <param name="planes">3·height·width values: the R plane row by row, then G, then B; clamped to [0, 1]; NaN is black.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static byte[] Encode(ReadOnlySpan<float> planes, int width, int height)
    {
        int plane = width * height;
        if (planes.Length != 3 * plane)
            throw new ArgumentException($"Expected 3 × {height} × {width} = {3 * plane} values, got {planes.Length}.", nameof(planes));
        var pixels = new byte[4 * plane];
        for (int i = 0; i < plane; i++)
        {
            pixels[4 * i] = Byte(planes[i]);
            pixels[4 * i + 1] = Byte(planes[plane + i]);
            pixels[4 * i + 2] = Byte(planes[2 * plane + i]);
            pixels[4 * i + 3] = 255;
        }
        using var image = SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), pixels);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte Byte(float value) => float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
