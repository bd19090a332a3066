using System.Globalization;
using System.Text;
using MlLinearized.TestSupport;
using SkiaSharp;

namespace ScoringService.Tests.Support;

/// <summary>
/// A small real image set written once as PNG files (ML.NET's LoadImages and the service do not read PPM): four GTSRB
/// classes of the repository's built-in subset (data/gtsrb-subset), frame 7 of every track for training and frame 22
/// for testing.
/// </summary>
internal static class GtsrbPng
{
    /// <summary>GTSRB class id → the label the models learn.</summary>
    public static readonly IReadOnlyDictionary<int, string> Classes = new Dictionary<int, string>
    {
        [1] = "speed limit 30", [13] = "yield", [14] = "stop", [17] = "no entry",
    };

    private static readonly Lazy<(List<LabelledImage> Train, List<LabelledImage> Test)> _images = new(Write);

    /// <summary>Training images (frame 7 of each track).</summary>
    public static IReadOnlyList<LabelledImage> Train => _images.Value.Train;

    /// <summary>Test images (frame 22 of each track).</summary>
    public static IReadOnlyList<LabelledImage> Test => _images.Value.Test;

    private static (List<LabelledImage>, List<LabelledImage>) Write()
    {
        string folder = TempFolder.Create("gtsrb-png");
        var train = new List<LabelledImage>();
        var test = new List<LabelledImage>();
        foreach (var (classId, label) in Classes)
        {
            foreach (var ppm in Directory.GetFiles(TestData.GtsrbClassFolder(classId), "*.ppm").Order(StringComparer.Ordinal))
            {
                string png = Path.Combine(folder, $"{classId:D2}_{Path.GetFileNameWithoutExtension(ppm)}.png");
                File.WriteAllBytes(png, Encode(ReadPpm(ppm), SKEncodedImageFormat.Png));
                (ppm.EndsWith("_00007.ppm", StringComparison.Ordinal) ? train : test).Add(new LabelledImage(png, label));
            }
        }
        return (train, test);
    }

    /// <summary>Encodes <paramref name="bitmap"/> (PNG, JPEG quality 95, or WebP quality 95).</summary>
    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>Decodes a PNG file of this set.</summary>
    public static SKBitmap Load(string path) => SKBitmap.Decode(path);

    /// <summary>Reads a binary PPM (P6, maxval 255, '#' comments) as an opaque bitmap.</summary>
    public static SKBitmap ReadPpm(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int position = 0;
        string Token()
        {
            while (true)
            {
                while (char.IsWhiteSpace((char)bytes[position])) position++;
                if (bytes[position] != '#') break;
                while (bytes[position] != '\n') position++;
            }
            int start = position;
            while (!char.IsWhiteSpace((char)bytes[position])) position++;
            return Encoding.ASCII.GetString(bytes, start, position - start);
        }
        if (Token() != "P6")
            throw new InvalidDataException($"{path} is not a binary PPM.");
        int width = int.Parse(Token(), CultureInfo.InvariantCulture), height = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (Token() != "255")
            throw new InvalidDataException($"{path}: only maxval 255 is read here.");
        position++;   // the single whitespace after maxval
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = position + 3 * (y * width + x);
                bitmap.SetPixel(x, y, new SKColor(bytes[i], bytes[i + 1], bytes[i + 2]));
            }
        return bitmap;
    }
}

/// <summary>An image file and its label.</summary>
internal sealed record LabelledImage(string Path, string Label);
