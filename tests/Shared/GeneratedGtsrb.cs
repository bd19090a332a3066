using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace MlLinearized.TestSupport;

/// <summary>One generated traffic-sign image: its ids, its size and its interleaved RGB bytes.</summary>
internal sealed record GeneratedSign(int ClassId, int TrackId, int FrameId, int Width, int Height, byte[] Rgb)
{
    /// <summary>A region of interest inside the image, as GTSRB annotates one (5 px margins, corners inclusive).</summary>
    public (int X1, int Y1, int X2, int Y2) Roi => (Math.Min(5, Width - 1), Math.Min(5, Height - 1), Math.Max(0, Width - 6), Math.Max(0, Height - 6));
}

/// <summary>
/// A small GTSRB made up by the test (seeded noise images of varying sizes, as GTSRB's originals vary), written in the
/// official layout (PPM, <c>Final_Training/Images/000CC/GT-000CC.csv</c>, <c>Final_Test/Images</c> + <c>GT-final_test.csv</c>)
/// or in the Kaggle layout (PNG, <c>Train.csv</c>, <c>Train/&lt;class&gt;/CCCCC_TTTTT_FFFFF.png</c>, <c>Test.csv</c>,
/// <c>Test/NNNNN.png</c>, <c>signnames.csv</c>). Tests never read real GTSRB data beyond the repository's subset.
/// </summary>
internal static class GeneratedGtsrb
{
    /// <summary>Training images: every class × track × frame, sizes between 20 and 79 px a side.</summary>
    public static IReadOnlyList<GeneratedSign> Training(int classes, int tracks, int frames, int seed)
    {
        var random = new Random(seed);
        var signs = new List<GeneratedSign>();
        for (int c = 0; c < classes; c++)
            for (int t = 0; t < tracks; t++)
                for (int f = 0; f < frames; f++)
                    signs.Add(Sign(random, c, t, f));
        return signs;
    }

    /// <summary>Test images numbered 0..count-1, classes in turn.</summary>
    public static IReadOnlyList<GeneratedSign> Test(int count, int classes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => Sign(random, i % classes, -1, i)).ToList();
    }

    /// <summary>Writes the official layout under <paramref name="root"/> (test images only when <paramref name="test"/> is given).</summary>
    public static void WriteOfficial(string root, IReadOnlyList<GeneratedSign> training, IReadOnlyList<GeneratedSign>? test = null)
    {
        const string header = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\n";
        foreach (var group in training.GroupBy(s => s.ClassId))
        {
            string folder = Path.Combine(root, "Final_Training", "Images", group.Key.ToString("D5", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var csv = new StringBuilder(header);
            foreach (var s in group)
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"{s.TrackId:D5}_{s.FrameId:D5}.ppm");
                WritePpm(Path.Combine(folder, name), s);
                csv.Append(Row(name, s, ';'));
            }
            File.WriteAllText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"GT-{group.Key:D5}.csv")), csv.ToString());
        }
        if (test is null)
            return;
        string images = Path.Combine(root, "Final_Test", "Images");
        Directory.CreateDirectory(images);
        var labels = new StringBuilder(header);
        foreach (var s in test)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"{s.FrameId:D5}.ppm");
            WritePpm(Path.Combine(images, name), s);
            labels.Append(Row(name, s, ';'));
        }
        File.WriteAllText(Path.Combine(root, "GT-final_test.csv"), labels.ToString());
    }

    /// <summary>
    /// Writes the Kaggle layout under <paramref name="root"/>: CSV paths are <paramref name="pathPrefix"/> + <c>Train/…</c>
    /// (Kaggle's own prefix is <c>/code/</c>); signnames.csv only when <paramref name="signNames"/> is given.
    /// </summary>
    public static void WriteKaggle(string root, IReadOnlyList<GeneratedSign> training, IReadOnlyList<GeneratedSign>? test = null,
        string pathPrefix = "/code/", IReadOnlyList<string>? signNames = null)
    {
        const string header = "Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path\n";
        var csv = new StringBuilder(header);
        foreach (var s in training)
        {
            string relative = string.Create(CultureInfo.InvariantCulture, $"Train/{s.ClassId}/{s.ClassId:D5}_{s.TrackId:D5}_{s.FrameId:D5}.png");
            WritePng(Path.Combine(root, relative), s);
            csv.Append(KaggleRow(pathPrefix + relative, s));
        }
        File.WriteAllText(Path.Combine(root, "Train.csv"), csv.ToString());
        if (test is not null)
        {
            var labels = new StringBuilder(header);
            foreach (var s in test)
            {
                string relative = string.Create(CultureInfo.InvariantCulture, $"Test/{s.FrameId:D5}.png");
                WritePng(Path.Combine(root, relative), s);
                labels.Append(KaggleRow(pathPrefix + relative, s));
            }
            File.WriteAllText(Path.Combine(root, "Test.csv"), labels.ToString());
        }
        if (signNames is not null)
            File.WriteAllText(Path.Combine(root, "signnames.csv"),
                "ClassId,SignName\n" + string.Concat(signNames.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{i},{n}\n"))));
    }

    private static GeneratedSign Sign(Random random, int classId, int trackId, int frameId)
    {
        int width = random.Next(20, 80), height = random.Next(20, 80);
        var rgb = new byte[width * height * 3];
        random.NextBytes(rgb);
        return new GeneratedSign(classId, trackId, frameId, width, height, rgb);
    }

    private static string Row(string name, GeneratedSign s, char separator) =>
        string.Join(separator, name, s.Width, s.Height, s.Roi.X1, s.Roi.Y1, s.Roi.X2, s.Roi.Y2, s.ClassId) + "\n";

    private static string KaggleRow(string path, GeneratedSign s) =>
        string.Join(',', s.Width, s.Height, s.Roi.X1, s.Roi.Y1, s.Roi.X2, s.Roi.Y2, s.ClassId, path) + "\n";

    private static void WritePpm(string path, GeneratedSign s) =>
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P6\n{s.Width} {s.Height}\n255\n")).Concat(s.Rgb).ToArray());

    private static void WritePng(string path, GeneratedSign s)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rgba = new byte[s.Width * s.Height * 4];
        for (int i = 0, j = 0; i < s.Rgb.Length; i += 3, j += 4)
            (rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]) = (s.Rgb[i], s.Rgb[i + 1], s.Rgb[i + 2], 255);
        using var image = MLImage.CreateFromPixels(s.Width, s.Height, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }
}
