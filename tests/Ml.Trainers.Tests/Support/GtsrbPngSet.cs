using Ml.Trainers.Datasets;

namespace Ml.Trainers.Tests.Support;

/// <summary>
/// A small real image set for the ML.NET tests, written once as PNG files (ML.NET's LoadImages does not read PPM):
/// 8 GTSRB classes of distinct kinds (speed limit 30, priority road, yield, stop, no entry, road work, turn right ahead,
/// keep right), every track of the built-in subset (421 tracks, 2 frames each: 842 images), split by track (≈ 20 % validation).
/// Files: train.tsv and validation.tsv with columns ImagePath (relative to <see cref="Folder"/>) and Label (class name).
/// </summary>
internal static class GtsrbPngSet
{
    public const int Classes = 8;

    public static readonly int[] ClassIds = [1, 12, 13, 14, 17, 25, 33, 38];

    private static readonly Lazy<string> _folder = new(Write);

    public static string Folder => _folder.Value;

    public static string TrainTsv => Path.Combine(Folder, "train.tsv");

    public static string ValidationTsv => Path.Combine(Folder, "validation.tsv");

    private static string Write()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ml-trainers-gtsrb-png-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        var samples = BuiltInGtsrb.All.Where(s => ClassIds.Contains(s.ClassId)).ToList();
        var (train, validation) = TrackSplit.Split(samples, 0.2, seed: 0);
        Parallel.ForEach(samples, s =>
        {
            using var image = PpmImage.Read(s.ImagePath).ToMLImage();
            image.Save(Path.Combine(folder, FileName(s)));
        });
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), ["ImagePath\tLabel", .. train.Select(Row)]);
        File.WriteAllLines(Path.Combine(folder, "validation.tsv"), ["ImagePath\tLabel", .. validation.Select(Row)]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, true); } catch (IOException) { } };
        return folder;
    }

    private static string FileName(GtsrbSample s) => $"{s.ClassId:D2}_{s.TrackId:D5}_{s.FrameId:D5}.png";

    private static string Row(GtsrbSample s) => FileName(s) + "\t" + GtsrbClasses.Name(s.ClassId);
}
