using Microsoft.ML.Data;

namespace ScoringService.Scoring;

/// <summary>A small mid-grey image, scored once by every new engine or worker so that no request pays for ONNX Runtime's first run.</summary>
public static class WarmUpImage
{
    /// <summary>A new 32 × 32 mid-grey image (dispose it).</summary>
    public static MLImage Create()
    {
        const int size = 32;
        var pixels = new byte[size * size * 4];
        Array.Fill(pixels, (byte)128);
        return MLImage.CreateFromPixels(size, size, MLPixelFormat.Bgra32, pixels);
    }
}
