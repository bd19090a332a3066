using Ml.Trainers.Datasets;

namespace TrafficSigns.Data;

/// <summary>One image of the data set: a PNG path ML.NET can load, its class and its track.</summary>
internal sealed record TrafficSignImage(string ImagePath, string Label, int ClassId, int TrackId);

/// <summary>
/// Finds the GTSRB data for the table and rectify commands (--data, else ../shared/data/gtsrb, else the built-in subset;
/// train uses <see cref="DataSourceResolver"/>, which can also download it), reads it (official or Kaggle layout), and
/// converts the PPM files to PNG once (ML.NET's LoadImages reads PNG/JPEG, not PPM) into a cache folder, atomically per
/// file; the Kaggle layout's PNG files are used where they are.
/// </summary>
internal static class TrafficSignData
{
    public static string Locate(string? data)
    {
        if (data is not null)
            return Directory.Exists(data) ? data : throw new ArgumentException($"--data: folder '{data}' does not exist.");
        foreach (var candidate in new[] { Path.Combine("..", "shared", "data", "gtsrb"), Path.Combine(AppContext.BaseDirectory, "Data", "gtsrb-subset") })
            if (Directory.Exists(candidate))
                return candidate;
        throw new InvalidOperationException("No GTSRB data: pass --data <folder with Final_Training, or with Train.csv (the Kaggle layout)>.");
    }

    /// <summary>Reads the data set; <paramref name="tracksPerClass"/> &gt; 0 keeps only the first tracks of each class.</summary>
    public static IReadOnlyList<GtsrbSample> Read(string root, int tracksPerClass) =>
        tracksPerClass > 0 ? GtsrbReader.ReadTraining(root, tracksPerClass) : GtsrbReader.ReadTraining(root);

    /// <summary>CCCCC_TTTTT_FFFFF.png (class, track, frame) for training images, test_NNNNN.png for official test images.</summary>
    private static string PngName(GtsrbSample s) =>
        s.TrackId == GtsrbSample.NoTrack ? $"test_{s.FrameId:D5}.png" : $"{s.ClassId:D5}_{s.TrackId:D5}_{s.FrameId:D5}.png";

    /// <summary>
    /// The samples as images ML.NET can load: PNG and JPEG files where they are, PNG copies of PPM files under
    /// <paramref name="cache"/> (made once). Labels are the data folder's class names (signnames.csv) when it has them,
    /// else GTSRB's usual names.
    /// </summary>
    public static List<TrafficSignImage> AsPng(IReadOnlyList<GtsrbSample> samples, string cache)
    {
        Directory.CreateDirectory(cache);
        var images = samples.Select(s => new TrafficSignImage(
            GtsrbImageFile.IsMLNetReadable(s.ImagePath) ? Path.GetFullPath(s.ImagePath) : Path.GetFullPath(Path.Combine(cache, PngName(s))),
            s.ClassName ?? GtsrbClasses.Name(s.ClassId), s.ClassId, s.TrackId)).ToList();
        Parallel.For(0, samples.Count, i =>
        {
            var path = images[i].ImagePath;
            if (File.Exists(path)) return;
            var temporary = path + $".{Environment.ProcessId}.tmp.png";
            using (var image = PpmImage.Read(samples[i].ImagePath).ToMLImage())
                image.Save(temporary);
            File.Move(temporary, path, overwrite: true);
        });
        return images;
    }
}
