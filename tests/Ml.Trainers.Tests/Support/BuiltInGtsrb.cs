using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlLinearized.TestSupport;

namespace Ml.Trainers.Tests.Support;

/// <summary>One training image of the built-in subset: its PNG and what its name says (class, track, frame).</summary>
internal sealed record BuiltInImage(string Path, int ClassId, int TrackId, int FrameId)
{
    /// <summary>The physical sign it shows: class and track.</summary>
    public string Track => string.Create(CultureInfo.InvariantCulture, $"{ClassId}/{TrackId}");
}

/// <summary>
/// The training part of the repository's built-in GTSRB subset (data/gtsrb-subset, Kaggle layout, 32×32 PNG), listed
/// once for all test classes: Train/&lt;classId&gt;/CCCCC_TTTTT_FFFFF.png, 2,092 images, 1,046 tracks of the 43 classes,
/// 2 frames each, sorted by class, track and frame.
/// </summary>
internal static class BuiltInGtsrb
{
    private static readonly Lazy<IReadOnlyList<BuiltInImage>> _train = new(List);

    /// <summary>The folder holding Train/, Test/, Train.csv, Test.csv and signnames.csv.</summary>
    public static string Root => TestData.GtsrbRoot;

    /// <summary>Every training image.</summary>
    public static IReadOnlyList<BuiltInImage> Train => _train.Value;

    /// <summary>
    /// Whole tracks per side, by the library's own stratified split with the track as the group column:
    /// <paramref name="validationFraction"/> of each class's tracks for validation, seeded.
    /// </summary>
    public static (List<BuiltInImage> Train, List<BuiltInImage> Validation) SplitByTrack(IReadOnlyList<BuiltInImage> images, double validationFraction, int seed)
    {
        var ml = new MLContext(seed);
        var rows = ml.Data.LoadFromEnumerable(images.Select((image, i) => new SplitRow { Index = i, Label = image.ClassId, Track = image.Track }));
        var split = ml.Data.StratifiedSplit(rows, nameof(SplitRow.Label), validationFraction, testFraction: 0, seed, groupColumnName: nameof(SplitRow.Track));
        List<BuiltInImage> Part(IDataView part) => part.GetColumn<int>(nameof(SplitRow.Index)).Select(i => images[i]).ToList();
        return (Part(split.Train), Part(split.Validation));
    }

    private sealed class SplitRow
    {
        public int Index { get; set; }
        public int Label { get; set; }
        public string Track { get; set; } = "";
    }

    private static IReadOnlyList<BuiltInImage> List()
    {
        var images = new List<BuiltInImage>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "Train"), "*.png", SearchOption.AllDirectories))
        {
            var parts = Path.GetFileNameWithoutExtension(file).Split('_').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            images.Add(new BuiltInImage(file, parts[0], parts[1], parts[2]));
        }
        if (images.Count != 2092)
            Assert.Fail($"The built-in subset '{Root}/Train' has {images.Count} images; expected 2,092.");
        return images.OrderBy(i => i.ClassId).ThenBy(i => i.TrackId).ThenBy(i => i.FrameId).ToList();
    }
}
