using System.Globalization;
using System.Text;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Writes a GTSRB subset in the Kaggle layout, PNG, from a GTSRB folder in the official layout (PPM): chosen frames of
/// every track (or all of them); the tracks of each class split by <see cref="TrackSplit"/> into <c>Train/</c> and a held-out
/// <c>Test/</c>. This is how the repository's built-in <c>data/gtsrb-subset</c> was made (frames 7 and 22, 20 % of the
/// tracks held out, seed 0; from the earlier official-layout subset, all its frames): the app reads it with ML.NET and the library's image-folder loader, as it reads a
/// downloaded Kaggle GTSRB. Files:
/// <list type="bullet">
/// <item><c>Train/&lt;classId&gt;/CCCCC_TTTTT_FFFFF.png</c> (class, track, frame, as Kaggle names them) and <c>Train.csv</c>;</item>
/// <item><c>Test/NNNNN.png</c> (whole held-out tracks, numbered in class, track, frame order) and <c>Test.csv</c>;</item>
/// <item><c>signnames.csv</c> (<c>ClassId,SignName</c>).</item>
/// </list>
/// The CSVs have Kaggle's columns <c>Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path</c>, with the official
/// annotation's original crop size and region of interest (the PNGs keep the source's pixels, e.g. 32×32), and paths
/// relative to the folder (<c>Train/20/00020_00000_00007.png</c>).
/// </summary>
internal static class GtsrbKaggleSubset
{
    private const string CsvHeader = "Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path";

    /// <summary>What was written.</summary>
    /// <param name="Train">Training images (whole tracks).</param>
    /// <param name="Test">Test images (the held-out tracks).</param>
    /// <param name="Tracks">Tracks in all.</param>
    public sealed record Summary(int Train, int Test, int Tracks);

    /// <summary>Writes the subset into <paramref name="output"/>, which must not exist yet; it appears complete or not at all.</summary>
    /// <param name="officialRoot">A GTSRB folder in the official layout (holding <c>Final_Training</c>).</param>
    /// <param name="output">The folder to create.</param>
    /// <param name="frames">Frame numbers to keep from each track (0–29), e.g. 7 and 22; null = every frame.</param>
    /// <param name="testFraction">Fraction of each class's tracks held out for <c>Test/</c>, in [0, 1).</param>
    /// <param name="seed">Seed of the track split.</param>
    /// <exception cref="IOException"><paramref name="output"/> exists already.</exception>
    /// <exception cref="InvalidDataException">No image of the source has one of the frames.</exception>
    public static Summary Write(string officialRoot, string output, IReadOnlyCollection<int>? frames, double testFraction, int seed)
    {
        string target = Path.GetFullPath(output);
        if (Directory.Exists(target) || File.Exists(target))
            throw new IOException($"--output: '{target}' exists already; give a new folder (nothing was overwritten).");
        var samples = GtsrbReader.ReadTraining(officialRoot).Where(s => frames is null || frames.Contains(s.FrameId)).ToList();
        if (samples.Count == 0)
            throw new InvalidDataException($"'{officialRoot}' has no image of frame(s) {string.Join(", ", frames ?? [])}.");
        var (train, test) = TrackSplit.Split(samples, testFraction, seed);

        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string writing = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var trainRows = train.Select(s => (Sample: s, Path: $"Train/{s.ClassId}/{s.ClassId:D5}_{s.TrackId:D5}_{s.FrameId:D5}.png")).ToList();
            var testRows = test.Select((s, i) => (Sample: s, Path: $"Test/{i:D5}.png")).ToList();
            Parallel.ForEach(trainRows.Concat(testRows), row =>
            {
                string path = Path.Combine(writing, row.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var image = PpmImage.Read(row.Sample.ImagePath).ToMLImage();
                image.Save(path);
            });
            File.WriteAllText(Path.Combine(writing, "Train.csv"), Csv(trainRows));
            File.WriteAllText(Path.Combine(writing, "Test.csv"), Csv(testRows));
            File.WriteAllText(Path.Combine(writing, "signnames.csv"),
                "ClassId,SignName\n" + string.Concat(GtsrbClasses.Names.Select((name, id) => string.Create(CultureInfo.InvariantCulture, $"{id},{Field(name)}\n"))));
            Directory.Move(writing, target);
        }
        finally
        {
            if (Directory.Exists(writing))
                Directory.Delete(writing, recursive: true);
        }
        return new Summary(train.Count, test.Count, samples.Select(s => (s.ClassId, s.TrackId)).Distinct().Count());
    }

    private static string Csv(IEnumerable<(GtsrbSample Sample, string Path)> rows)
    {
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (var (s, path) in rows)
            text.Append(CultureInfo.InvariantCulture,
                $"{s.OriginalWidth},{s.OriginalHeight},{s.Roi.X1},{s.Roi.Y1},{s.Roi.X2},{s.Roi.Y2},{s.ClassId},{path}\n");
        return text.ToString();
    }

    /// <summary>A CSV field, quoted when it holds a comma or a quote.</summary>
    private static string Field(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
