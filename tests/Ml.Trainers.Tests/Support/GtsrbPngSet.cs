namespace Ml.Trainers.Tests.Support;

/// <summary>
/// A small real image set for the ML.NET tests, from the built-in subset's training PNGs: 8 GTSRB classes of distinct
/// kinds (speed limit 30, priority road, yield, stop, no entry, road work, turn right ahead, keep right), every track
/// (2 frames each), split by track (≈ 20 % validation). Files: train.tsv and validation.tsv with columns ImagePath
/// (relative to <see cref="Folder"/>) and Label (the sign's name from signnames.csv), written once into a temporary folder.
/// </summary>
internal static class GtsrbPngSet
{
    public const int Classes = 8;

    public static readonly int[] ClassIds = [1, 12, 13, 14, 17, 25, 33, 38];

    private static readonly Lazy<string> _tables = new(Write);

    /// <summary>The folder the image paths are relative to: the built-in subset.</summary>
    public static string Folder => BuiltInGtsrb.Root;

    public static string TrainTsv => Path.Combine(_tables.Value, "train.tsv");

    public static string ValidationTsv => Path.Combine(_tables.Value, "validation.tsv");

    private static string Write()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ml-trainers-gtsrb-png-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        var images = BuiltInGtsrb.Train.Where(s => ClassIds.Contains(s.ClassId)).ToList();
        var (train, validation) = BuiltInGtsrb.SplitByTrack(images, 0.2, seed: 0);
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), ["ImagePath\tLabel", .. train.Select(Row)]);
        File.WriteAllLines(Path.Combine(folder, "validation.tsv"), ["ImagePath\tLabel", .. validation.Select(Row)]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, true); } catch (IOException) { } };
        return folder;
    }

    private static readonly Lazy<Dictionary<int, string>> _names = new(() => File.ReadAllLines(Path.Combine(Folder, "signnames.csv")).Skip(1)
        .Select(line => line.Split(',', 2)).ToDictionary(f => int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f => f[1]));

    private static string Row(BuiltInImage image) => Path.GetRelativePath(Folder, image.Path).Replace('\\', '/') + "\t" + _names.Value[image.ClassId];
}
