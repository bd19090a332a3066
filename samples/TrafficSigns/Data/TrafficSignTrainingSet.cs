using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;
using TrafficSigns.Cli;
using TrafficSigns.Training;

namespace TrafficSigns.Data;

/// <summary>
/// Traffic signs for the train command: GTSRB in the Kaggle layout — the built-in subset (data/gtsrb-subset) or, with
/// <c>--data</c>, a GTSRB downloaded from Kaggle. <c>Train/&lt;classId&gt;/CCCCC_TTTTT_FFFFF.png</c> (one folder per class;
/// the name holds the class, the track — one physical sign, filmed over about 30 frames — and the frame) is read with the
/// library's image-folder loader and labelled with the sign names of <c>signnames.csv</c>; validation is
/// <c>--validation-fraction</c> of each sign's tracks (the library's stratified split with the track as group, so the
/// near-identical frames of one sign never straddle training and validation); the test images are those of
/// <c>Test.csv</c> (read with ML.NET's text loader).
/// </summary>
internal static class TrafficSignTrainingSet
{
    /// <summary>The built-in subset, copied beside the program as Data/gtsrb-subset.</summary>
    public static string BuiltIn => Path.Combine(AppContext.BaseDirectory, "Data", "gtsrb-subset");

    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public string Track { get; set; } = "";
    }

    private sealed class SignName
    {
        [LoadColumn(0)]
        public int ClassId { get; set; }

        [LoadColumn(1)]
        public string Name { get; set; } = "";
    }

    private sealed class TestLine
    {
        public string ClassId { get; set; } = "";
        public string Path { get; set; } = "";
    }

    public static TrainingSet Load(TrainSettings options, MLContext mlContext, CancellationToken cancellation)
    {
        string root = Path.GetFullPath(options.Data ?? BuiltIn);
        string trainFolder = Path.Combine(root, "Train"), testCsv = Path.Combine(root, "Test.csv");
        if (!Directory.Exists(trainFolder) || !File.Exists(testCsv))
            throw new InvalidDataException(
                $"--data: '{root}' is not GTSRB in the Kaggle layout: expected Train/<classId>/*.png and Test.csv beside Test/ (and signnames.csv for the " +
                "sign names), as the Kaggle download unpacks. GTSRB in the official layout (Final_Training/Images/*.ppm) is read by the paper's experiments, " +
                "samples/TrafficSigns.Experiments.");
        var names = SignNames(mlContext, root);
        bool builtIn = options.Data is null;
        var folder = ImageFolderTrainingSet.Read(trainFolder, builtIn ? "Built-in subset" : "--data", cancellation);
        var rows = folder.Images.Select(i => new Row { ImagePath = i.Path, Label = Name(names, i.Label), Track = i.Label + "/" + Track(i.Path) }).ToList();
        int untracked = folder.Images.Count(i => Track(i.Path) == Path.GetFileName(i.Path));
        if (untracked > 0)
            AnsiConsole.MarkupLine($"[yellow]{untracked} training image(s) are not named CCCCC_TTTTT_FFFFF.png: each is its own track in the split.[/]");
        if (options.Tracks > 0)
            rows = rows.GroupBy(r => r.Label, StringComparer.Ordinal)
                .SelectMany(label => { var keep = label.Select(r => r.Track).Distinct().Order(StringComparer.Ordinal).Take(options.Tracks).ToHashSet(); return label.Where(r => keep.Contains(r.Track)); })
                .ToList();

        // Whole tracks per side: the track is the split's group.
        var split = mlContext.Data.StratifiedSplit(mlContext.Data.LoadFromEnumerable(rows), "Label", options.ValidationFraction, testFraction: 0, options.Seed,
            groupColumnName: nameof(Row.Track));
        var test = TestImages(mlContext, root, names);
        var unknown = test.Select(t => t.Label).Distinct(StringComparer.Ordinal).Except(rows.Select(r => r.Label), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"--data: Test.csv has class(es) with no training images in Train/: {string.Join(", ", unknown.Take(10))}.");
        string percent = string.Create(CultureInfo.InvariantCulture, $"{options.ValidationFraction * 100:0.#}%");
        return new TrainingSet("Traffic signs",
            $"{(builtIn ? "the built-in GTSRB subset " : "")}{root}; {test.Count} test images in Test.csv{(names is null ? "; no signnames.csv, so the labels are class ids" : "")}",
            Rows(split.Train), Rows(split.Validation), test,
            $"validation: {percent} of each sign's tracks (whole tracks), seed {options.Seed}{(options.Tracks > 0 ? $"; the first {options.Tracks} tracks of each sign" : "")}",
            builtIn ? "held-out tracks, Test.csv" : "Test.csv");
    }

    /// <summary>The track of a Kaggle training image, CCCCC_TTTTT_FFFFF.png → TTTTT; the file name itself when it is not named so.</summary>
    private static string Track(string path)
    {
        var parts = Path.GetFileNameWithoutExtension(path).Split('_');
        return parts.Length == 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) ? parts[1] : Path.GetFileName(path);
    }

    /// <summary>signnames.csv (ClassId,SignName) as class id → name; null when the file is not there.</summary>
    private static Dictionary<string, string>? SignNames(MLContext mlContext, string root)
    {
        string path = Path.Combine(root, "signnames.csv");
        if (!File.Exists(path))
            return null;
        var rows = mlContext.Data.CreateEnumerable<SignName>(
            mlContext.Data.LoadFromTextFile<SignName>(path, separatorChar: ',', hasHeader: true, allowQuoting: true), reuseRowObject: false).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
            if (!names.TryAdd(row.ClassId.ToString(CultureInfo.InvariantCulture), row.Name))
                throw new InvalidDataException($"--data: '{path}' names class {row.ClassId} twice.");
        return names;
    }

    private static string Name(Dictionary<string, string>? names, string classId) =>
        names is not null && names.TryGetValue(classId, out var name) ? name : classId;

    /// <summary>
    /// The images of Test.csv, labelled with the sign names. The columns ClassId and Path are found by name in the header;
    /// a Path is read as Test/&lt;its file name&gt; (Kaggle's CSVs carry the folder they were made in, e.g. /code/Test/00000.png).
    /// </summary>
    private static List<LabelledImage> TestImages(MLContext mlContext, string root, Dictionary<string, string>? names)
    {
        string csv = Path.Combine(root, "Test.csv");
        var header = (File.ReadLines(csv).FirstOrDefault() ?? "").Split(',').Select(h => h.Trim()).ToList();
        int classColumn = header.FindIndex(h => h.Equals("ClassId", StringComparison.OrdinalIgnoreCase));
        int pathColumn = header.FindIndex(h => h.Equals("Path", StringComparison.OrdinalIgnoreCase));
        if (classColumn < 0 || pathColumn < 0)
            throw new InvalidDataException($"--data: '{csv}' has the columns '{string.Join(",", header)}'; expected ClassId and Path among them (Kaggle's Test.csv: Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path).");
        var lines = mlContext.Data.CreateEnumerable<TestLine>(mlContext.Data.LoadFromTextFile(csv,
        [
            new TextLoader.Column(nameof(TestLine.ClassId), DataKind.String, classColumn),
            new TextLoader.Column(nameof(TestLine.Path), DataKind.String, pathColumn),
        ], separatorChar: ',', hasHeader: true, allowQuoting: true), reuseRowObject: false).ToList();
        var images = new List<LabelledImage>();
        var missing = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (!int.TryParse(lines[i].ClassId, NumberStyles.None, CultureInfo.InvariantCulture, out int classId))
                throw new InvalidDataException($"--data: '{csv}', line {i + 2}: ClassId '{lines[i].ClassId}' is not a class number.");
            string path = Path.Combine(root, "Test", Path.GetFileName(lines[i].Path.Replace('\\', '/')));
            if (!File.Exists(path))
                missing.Add(path);
            images.Add(new LabelledImage(path, Name(names, classId.ToString(CultureInfo.InvariantCulture))));
        }
        if (missing.Count > 0)
            throw new InvalidDataException($"--data: {missing.Count} image(s) named in '{csv}' are not in Test/, e.g. '{missing[0]}'. Unpack the whole Test folder.");
        if (images.Count == 0)
            throw new InvalidDataException($"--data: '{csv}' lists no test image.");
        return images;
    }

    private static List<LabelledImage> Rows(IDataView part) =>
        part.GetColumn<string>(nameof(Row.ImagePath)).Zip(part.GetColumn<string>(nameof(Row.Label)), (path, label) => new LabelledImage(path, label)).ToList();
}
