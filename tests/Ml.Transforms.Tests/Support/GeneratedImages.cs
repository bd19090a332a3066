using SkiaSharp;

namespace Ml.Transforms.Tests.Support;

/// <summary>
/// Seeded image files of the kinds a user's folder holds: PNG (RGB, grayscale, RGBA with transparency), JPEG and BMP,
/// 7–60 px a side, in random colours with a disc, written into a folder.
/// </summary>
internal static class GeneratedImages
{
    /// <summary>Writes <paramref name="count"/> images into <paramref name="folder"/>; returns their paths in order.</summary>
    public static List<string> Write(string folder, int count, int seed = 0)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var paths = new List<string>();
        for (int n = 0; n < count; n++)
        {
            int w = random.Next(7, 61), h = random.Next(7, 61);
            int kind = n % 5;
            var colorType = kind == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888;
            var alphaType = kind == 2 ? SKAlphaType.Unpremul : SKAlphaType.Opaque;
            using var bitmap = new SKBitmap(new SKImageInfo(w, h, colorType, kind == 1 ? SKAlphaType.Opaque : alphaType));
            var background = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), kind == 2 ? (byte)random.Next(256) : (byte)255);
            var disc = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), kind == 2 ? (byte)random.Next(256) : (byte)255);
            double cx = w * random.NextDouble(), cy = h * random.NextDouble(), r = Math.Min(w, h) * (0.2 + 0.3 * random.NextDouble());
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    var c = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r ? disc : background;
                    // A little noise, so that resizing has something to choose between.
                    byte noise = (byte)random.Next(16);
                    bitmap.SetPixel(x, y, new SKColor((byte)(c.Red ^ noise), (byte)(c.Green ^ noise), (byte)(c.Blue ^ noise), c.Alpha));
                }
            var (format, extension) = kind switch
            {
                3 => (SKEncodedImageFormat.Jpeg, "jpg"),
                4 => (SKEncodedImageFormat.Bmp, "bmp"),
                _ => (SKEncodedImageFormat.Png, "png"),
            };
            var data = bitmap.Encode(format, 90);
            if (data is null)
                (data, extension) = (bitmap.Encode(SKEncodedImageFormat.Png, 100), "png");   // no BMP encoder in this SkiaSharp
            using var encoded = data;
            var path = Path.Combine(folder, $"image-{n:D4}.{extension}");
            File.WriteAllBytes(path, encoded.ToArray());
            paths.Add(path);
        }
        return paths;
    }
}
