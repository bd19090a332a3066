using Microsoft.ML.Data;
using ScoringService.Imaging;
using SkiaSharp;

namespace ScoringService.Scoring;

/// <summary>
/// A small mid-grey image, encoded as PNG and decoded by the service's own decoder, scored once by every new engine or
/// worker: no request pays for ONNX Runtime's first run or for the decoder's first use.
/// </summary>
public static class WarmUpImage
{
    /// <summary>A new 32 × 32 mid-grey image (dispose it).</summary>
    public static MLImage Create()
    {
        const int size = 32;
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(128, 128, 128));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        if (!StrictImageDecoder.TryDecode(png.AsSpan(), "the warm-up image", size * size, out var decoded, out var rejection))
            throw new InvalidOperationException("The warm-up image could not be decoded: " + rejection.Detail);
        return decoded.Image;
    }
}
