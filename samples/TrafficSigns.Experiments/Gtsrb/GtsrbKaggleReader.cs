using System.Globalization;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Reads GTSRB in its Kaggle layout (<see cref="GtsrbKaggleLayout"/>): the training set from <c>Train.csv</c> (tracks from
/// the file names <c>CCCCC_TTTTT_FFFFF.png</c>, the same tracks as the official layout's <c>TTTTT_FFFFF.ppm</c>), the
/// labelled test set from <c>Test.csv</c> (the official test set's 12,630 images, <c>NNNNN.png</c>), and the class names
/// from <c>signnames.csv</c> when present. Images are not decoded. <see cref="GtsrbReader"/> and
/// <see cref="GtsrbTestReader"/> call it when the folder they are given holds <c>Train.csv</c>.
/// </summary>
internal static class GtsrbKaggleReader
{
    /// <summary>Every training sample of <c>Train.csv</c>, in the file's order.</summary>
    /// <param name="root">The folder holding <c>Train.csv</c> and <c>Train/</c>.</param>
    /// <returns>The samples; image paths are full paths to existing files; <see cref="GtsrbSample.ClassName"/> from signnames.csv when present.</returns>
    /// <exception cref="FileNotFoundException"><c>Train.csv</c> is missing, or a row names an image that is not there.</exception>
    /// <exception cref="InvalidDataException">A CSV is malformed, a file name is not <c>CCCCC_TTTTT_FFFFF.png</c>, or its class differs from the row's ClassId.</exception>
    public static List<GtsrbSample> ReadTraining(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        string full = Path.GetFullPath(root);
        string csv = Path.Combine(full, GtsrbKaggleLayout.TrainingFile);
        if (!File.Exists(csv))
            throw new FileNotFoundException($"'{root}' has no {GtsrbKaggleLayout.TrainingFile}. {GtsrbKaggleLayout.Expected}", csv);
        var names = ReadClassNames(full);
        var samples = GtsrbAnnotationCsv.ReadRows(csv, ',', "Path", row =>
        {
            string path = GtsrbKaggleLayout.Resolve(full, row.FileName, GtsrbKaggleLayout.TrainingFolder);
            string name = Path.GetFileName(path);
            if (!GtsrbFileName.TryParseKaggleTraining(name, out int nameClass, out int track, out int frame))
                throw row.Problem($"image name '{name}' does not have the form CCCCC_TTTTT_FFFFF.png (class_track_frame)");
            int classId = row.Number(7);
            if (classId != nameClass)
                throw row.Problem($"ClassId {classId} differs from the class {nameClass:D5} in the image name '{name}'");
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"GTSRB annotation file '{csv}' names '{row.FileName}', which is not at '{path}': the Train folder was not fully unpacked, " +
                    $"or the CSV belongs to another copy. {GtsrbKaggleLayout.Expected}", path);
            return row.Sample(path, classId, track, frame) with { ClassName = Name(names, classId) };
        });
        if (samples.Count == 0)
            throw new InvalidDataException($"GTSRB annotation file '{csv}' has a header but no rows.");
        return samples;
    }

    /// <summary>Every labelled test sample of <c>Test.csv</c>, sorted by image number.</summary>
    /// <param name="root">The folder holding <c>Test.csv</c> and <c>Test/</c>.</param>
    /// <returns>
    /// The samples (<see cref="GtsrbSample.TrackId"/> = <see cref="GtsrbSample.NoTrack"/>, <see cref="GtsrbSample.FrameId"/>
    /// = the image number), image paths are full paths to existing files.
    /// </returns>
    /// <exception cref="FileNotFoundException"><c>Test.csv</c> is missing, or a row names an image that is not there.</exception>
    /// <exception cref="InvalidDataException">The CSV is malformed, has no rows, names an image twice, or a name is not <c>NNNNN.png</c>.</exception>
    public static IReadOnlyList<GtsrbSample> ReadTest(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        string full = Path.GetFullPath(root);
        string csv = Path.Combine(full, GtsrbKaggleLayout.TestFile);
        if (!File.Exists(csv))
            throw new FileNotFoundException($"'{root}' has no {GtsrbKaggleLayout.TestFile}, which labels the test images. {GtsrbKaggleLayout.Expected}", csv);
        var names = ReadClassNames(full);
        var samples = GtsrbAnnotationCsv.ReadRows(csv, ',', "Path", row =>
        {
            string path = GtsrbKaggleLayout.Resolve(full, row.FileName, GtsrbKaggleLayout.TestFolder);
            string name = Path.GetFileName(path);
            if (!GtsrbFileName.TryParseKaggleTest(name, out int number))
                throw row.Problem($"image name '{name}' does not have the form NNNNN.png of the test set");
            int classId = row.Number(7);
            if (classId < 0)
                throw row.Problem($"ClassId {classId} is negative");
            return row.Sample(path, classId, GtsrbSample.NoTrack, number) with { ClassName = Name(names, classId) };
        });
        if (samples.Count == 0)
            throw new InvalidDataException($"GTSRB annotation file '{csv}' has a header but no rows.");
        var seen = new HashSet<int>();
        foreach (var sample in samples)
        {
            if (!seen.Add(sample.FrameId))
                throw new InvalidDataException($"GTSRB annotation file '{csv}' names test image {sample.FrameId:D5} twice.");
            if (!File.Exists(sample.ImagePath))
                throw new FileNotFoundException(
                    $"GTSRB annotation file '{csv}' names test image {sample.FrameId:D5}, which is not at '{sample.ImagePath}': the Test folder " +
                    "was not fully unpacked, or the CSV belongs to another copy.", sample.ImagePath);
        }
        samples.Sort((a, b) => a.FrameId.CompareTo(b.FrameId));
        return samples.AsReadOnly();
    }

    /// <summary>
    /// The class names of <c>signnames.csv</c> (<c>ClassId,SignName</c>, columns found by name; a name may hold commas),
    /// by class id; null when the file is absent.
    /// </summary>
    /// <exception cref="InvalidDataException">The file lacks either column, a ClassId is not an integer, or a class is named twice.</exception>
    public static IReadOnlyDictionary<int, string>? ReadClassNames(string root)
    {
        string csv = Path.Combine(root, GtsrbKaggleLayout.ClassNamesFile);
        if (!File.Exists(csv))
            return null;
        using var reader = new StreamReader(csv, detectEncodingFromByteOrderMarks: true);
        string header = reader.ReadLine() ?? "";
        string[] columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        int idColumn = Array.FindIndex(columns, c => string.Equals(c, "ClassId", StringComparison.OrdinalIgnoreCase));
        int nameColumn = Array.FindIndex(columns, c => string.Equals(c, "SignName", StringComparison.OrdinalIgnoreCase));
        if (idColumn < 0 || nameColumn < 0 || columns.Length != 2)
            throw new InvalidDataException($"'{csv}' should have the header ClassId,SignName; found '{header}'. Fix or remove it (the built-in GTSRB names are used without it).");
        var names = new Dictionary<int, string>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            // The id is the field without commas; the name may hold commas (quoted or not).
            int comma = idColumn == 0 ? line.IndexOf(',') : line.LastIndexOf(',');
            if (comma < 0)
                throw new InvalidDataException($"'{csv}', line {lineNumber}: expected ClassId,SignName, found '{line}'.");
            string idText = (idColumn == 0 ? line[..comma] : line[(comma + 1)..]).Trim().Trim('"');
            string name = (idColumn == 0 ? line[(comma + 1)..] : line[..comma]).Trim().Trim('"').Trim();
            if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                throw new InvalidDataException($"'{csv}', line {lineNumber}: ClassId '{idText}' is not a non-negative integer.");
            if (!names.TryAdd(id, name))
                throw new InvalidDataException($"'{csv}', line {lineNumber}: class {id} is named twice.");
        }
        return names;
    }

    private static string? Name(IReadOnlyDictionary<int, string>? names, int classId) =>
        names is not null && names.TryGetValue(classId, out var name) && name.Length > 0 ? name : null;
}
