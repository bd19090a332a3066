using SkiaSharp;

namespace TrafficSigns.Reporting;

/// <summary>A PNG grid of small RGB images (pixel vectors, channel-major, [0, 1]), drawn scaled up with SkiaSharp.</summary>
internal static class ImageGrid
{
    /// <summary>Rows of images; each image is (pixels, width, height). Every cell is drawn at <paramref name="cell"/>×<paramref name="cell"/>.</summary>
    public static void Save(IReadOnlyList<IReadOnlyList<(float[] Pixels, int Width, int Height)>> rows, string path, int cell = 96)
    {
        int columns = rows.Max(r => r.Count);
        using var surface = SKSurface.Create(new SKImageInfo(columns * (cell + 4), rows.Count * (cell + 4)));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var nearest = new SKSamplingOptions(SKFilterMode.Nearest);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < rows[r].Count; c++)
            {
                var (pixels, w, h) = rows[r][c];
                using var bitmap = new SKBitmap(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        byte Channel(int ch) => (byte)Math.Clamp(MathF.Round(pixels[ch * w * h + y * w + x] * 255), 0, 255);
                        bitmap.SetPixel(x, y, new SKColor(Channel(0), Channel(1), Channel(2)));
                    }
                using var image = SKImage.FromBitmap(bitmap);
                canvas.DrawImage(image, new SKRect(c * (cell + 4) + 2, r * (cell + 4) + 2, c * (cell + 4) + 2 + cell, r * (cell + 4) + 2 + cell), nearest);
            }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, data.SaveTo);
    }
}
