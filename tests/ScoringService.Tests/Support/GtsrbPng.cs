using System.Globalization;
using MlLinearized.TestSupport;
using SkiaSharp;

namespace ScoringService.Tests.Support;

/// <summary>
/// A small real image set: four GTSRB classes of the repository's built-in subset (data/gtsrb-subset, Kaggle layout,
/// 32×32 PNG), its training images (Train/&lt;class&gt;/) for training and its test images of the held-out tracks
/// (Test/, labelled by Test.csv) for scoring.
/// </summary>
internal static class GtsrbPng
{
    /// <summary>GTSRB class id → the label the models learn.</summary>
    public static readonly IReadOnlyDictionary<int, string> Classes = new Dictionary<int, string>
    {
        [1] = "speed limit 30", [13] = "yield", [14] = "stop", [17] = "no entry",
    };

    private static readonly Lazy<List<LabelledImage>> _train = new(() => Classes
        .SelectMany(c => Directory.GetFiles(Path.Combine(TestData.GtsrbRoot, "Train", c.Key.ToString(CultureInfo.InvariantCulture)), "*.png")
            .Order(StringComparer.Ordinal).Select(path => new LabelledImage(path, c.Value)))
        .ToList());

    private static readonly Lazy<List<LabelledImage>> _test = new(() => File.ReadAllLines(Path.Combine(TestData.GtsrbRoot, "Test.csv")).Skip(1)
        .Select(line => line.Split(','))
        .Where(fields => Classes.ContainsKey(int.Parse(fields[6], CultureInfo.InvariantCulture)))
        .Select(fields => new LabelledImage(Path.Combine(TestData.GtsrbRoot, fields[7]), Classes[int.Parse(fields[6], CultureInfo.InvariantCulture)]))
        .ToList());

    /// <summary>Training images (336).</summary>
    public static IReadOnlyList<LabelledImage> Train => _train.Value;

    /// <summary>Test images of the held-out tracks (82).</summary>
    public static IReadOnlyList<LabelledImage> Test => _test.Value;

    /// <summary>Encodes <paramref name="bitmap"/> (PNG, JPEG quality 95, or WebP quality 95).</summary>
    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>Decodes a PNG file of this set.</summary>
    public static SKBitmap Load(string path) => SKBitmap.Decode(path);
}

/// <summary>An image file and its label.</summary>
internal sealed record LabelledImage(string Path, string Label);
