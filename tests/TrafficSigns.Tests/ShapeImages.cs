using Microsoft.ML.Data;

namespace TrafficSigns.Tests;

/// <summary>
/// A folder with one subfolder per label of generated pictures anyone can tell apart — stripes across, stripes down,
/// a disc — in random colours, sizes (20–48 px) and positions, some grayscale, as PNG and JPEG. Seeded.
/// </summary>
internal static class ShapeImages
{
    public static readonly string[] Labels = ["across", "down", "disc"];

    /// <summary>Writes <paramref name="perLabel"/> images of each of <paramref name="labels"/> (default all three) under <paramref name="folder"/>, each side <paramref name="minSide"/> to <paramref name="maxSide"/> pixels.</summary>
    public static string Write(string folder, int perLabel, IEnumerable<string>? labels = null, int seed = 0, int minSide = 20, int maxSide = 48)
    {
        var random = new Random(seed);
        foreach (var label in labels ?? Labels)
        {
            Directory.CreateDirectory(Path.Combine(folder, label));
            for (int n = 0; n < perLabel; n++)
            {
                int w = random.Next(minSide, maxSide + 1), h = random.Next(minSide, maxSide + 1), period = random.Next(4, 8);
                byte[] on = [(byte)random.Next(128, 256), (byte)random.Next(128, 256), (byte)random.Next(128, 256)];
                byte[] off = [(byte)random.Next(0, 80), (byte)random.Next(0, 80), (byte)random.Next(0, 80)];
                double cx = w * (0.4 + 0.2 * random.NextDouble()), cy = h * (0.4 + 0.2 * random.NextDouble()), r = Math.Min(w, h) * 0.3;
                bool gray = n % 4 == 0;
                var rgba = new byte[w * h * 4];
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        bool inside = label switch
                        {
                            "across" => y % period < period / 2,
                            "down" => x % period < period / 2,
                            _ => (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r,
                        };
                        var c = inside ? on : off;
                        for (int ch = 0; ch < 3; ch++)
                            rgba[(y * w + x) * 4 + ch] = gray ? (byte)((c[0] + c[1] + c[2]) / 3) : c[ch];
                        rgba[(y * w + x) * 4 + 3] = 255;
                    }
                using var image = MLImage.CreateFromPixels(w, h, MLPixelFormat.Rgba32, rgba);
                image.Save(Path.Combine(folder, label, $"{label}-{n:D3}.{(n % 3 == 0 ? "jpg" : "png")}"));
            }
        }
        return folder;
    }
}
