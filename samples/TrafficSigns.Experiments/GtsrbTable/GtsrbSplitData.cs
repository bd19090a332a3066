using TrafficSigns.Experiments.Gtsrb;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>
/// GTSRB as CPU tensors, split by whole tracks as the table and rectify experiments use it: 20 % of each class's tracks
/// for test, then 10 % of the rest for validation (keep-best), the remainder for training. With the official test set
/// (when asked for and present in the data folder): tested on it, validated on 20 % of the tracks.
/// </summary>
internal sealed class GtsrbSplitData : IDisposable
{
    public const double TestFraction = 0.2;
    public const double ValidationFraction = 0.1;

    private GtsrbSplitData(string root, int tracks, int splitSeed, int imageSize, bool officialTest, IReadOnlyList<GtsrbSample> all,
        IReadOnlyList<GtsrbSample> train, IReadOnlyList<GtsrbSample> validation, IReadOnlyList<GtsrbSample> test)
    {
        ImageSize = imageSize;
        OfficialTestSet = officialTest;
        Root = root;
        TracksPerClass = tracks;
        SplitSeed = splitSeed;
        Count = all.Count;
        ClassCount = Math.Max(2, all.Max(s => s.ClassId) + 1);
        TrainSamples = train;
        ValidationSamples = validation;
        TestSamples = test;
        var sizes = new List<(int Width, int Height)>();
        (TrainImages, TrainLabels) = Tensors(train, imageSize, sizes);
        if (validation.Count > 0)
            (ValidationImages, ValidationLabels) = Tensors(validation, imageSize, sizes);
        (TestImages, TestLabels) = Tensors(test, imageSize, sizes);
        SourceSizes = SourceImageSizes.Of(sizes, imageSize);
    }

    public string Root { get; }
    /// <summary>Side of the image tensors (each image file resized once when its size differs).</summary>
    public int ImageSize { get; }
    /// <summary>The sizes of the image files before the resize: original sizes (e.g. the Kaggle layout) or one pre-resized size (../shared's 32×32).</summary>
    public SourceImageSizes SourceSizes { get; }
    /// <summary>The test part is the official GTSRB test set (else held-out tracks).</summary>
    public bool OfficialTestSet { get; }
    public int TracksPerClass { get; }
    public int SplitSeed { get; }
    public int Count { get; }
    public int ClassCount { get; }
    public IReadOnlyList<GtsrbSample> TrainSamples { get; }
    public IReadOnlyList<GtsrbSample> ValidationSamples { get; }
    public IReadOnlyList<GtsrbSample> TestSamples { get; }
    public Tensor TrainImages { get; }
    public Tensor TrainLabels { get; }
    /// <summary>Null when no class had tracks left for validation (2 tracks per class): then training keeps the last epoch.</summary>
    public Tensor? ValidationImages { get; }
    public Tensor? ValidationLabels { get; }
    public Tensor TestImages { get; }
    public Tensor TestLabels { get; }

    /// <summary>
    /// Reads <paramref name="root"/> (official or Kaggle layout; all tracks when <paramref name="tracksPerClass"/> is 0) and
    /// decodes it to <paramref name="imageSize"/>² (32 by default), resizing each image file once from whatever size it has
    /// (original sizes in the Kaggle layout, 32×32 in ../shared). With <paramref name="useOfficialTestSet"/> and the
    /// official test set in <paramref name="root"/> (the Kaggle layout's Test.csv included), that is the test part.
    /// </summary>
    public static GtsrbSplitData Load(string root, int tracksPerClass, int splitSeed, int imageSize = 32, bool useOfficialTestSet = false)
    {
        var samples = tracksPerClass > 0 ? GtsrbReader.ReadTraining(root, tracksPerClass) : GtsrbReader.ReadTraining(root);
        if (samples.Count == 0)
            throw new InvalidOperationException($"No GTSRB images under '{root}'.");
        if (useOfficialTestSet && GtsrbTestReader.Exists(root))
        {
            var (officialTrain, officialValidation) = TrackSplit.Split(samples, 0.2, splitSeed);
            return new GtsrbSplitData(root, tracksPerClass, splitSeed, imageSize, true, samples, officialTrain, officialValidation, GtsrbTestReader.Read(root));
        }
        var (rest, test) = TrackSplit.Split(samples, TestFraction, splitSeed);
        var (train, validation) = TrackSplit.Split(rest, ValidationFraction, splitSeed);
        if (test.Count == 0)
            throw new ArgumentException(
                $"--tracks {tracksPerClass}: a track-wise test split needs at least 2 tracks per class (3 for a validation split too); use --tracks 3 or more, or 0 for all.");
        return new GtsrbSplitData(root, tracksPerClass, splitSeed, imageSize, false, samples, train, validation, test);
    }

    public string Describe() =>
        $"{Path.GetFullPath(Root)} — {Count} images, {ClassCount} classes{(TracksPerClass > 0 ? $" (first {TracksPerClass} tracks per class)" : "")}; " +
        $"train {TrainSamples.Count}, validation {ValidationSamples.Count}{(ValidationSamples.Count == 0 ? " (no keep-best)" : "")}, test {TestSamples.Count} " +
        (OfficialTestSet ? $"(the official GTSRB test set; validation on 20 % of the tracks, split seed {SplitSeed})" : $"(whole tracks per side, split seed {SplitSeed})") +
        $"; images: {SourceSizes.Describe(ImageSize)}";

    public void Dispose()
    {
        foreach (var t in new[] { TrainImages, TrainLabels, ValidationImages, ValidationLabels, TestImages, TestLabels })
            t?.Dispose();
    }

    private static (Tensor Images, Tensor Labels) Tensors(IReadOnlyList<GtsrbSample> samples, int size, List<(int Width, int Height)> sourceSizes)
    {
        var images = GtsrbTensors.ToImageTensor(samples, size, size, out var sizes);
        sourceSizes.AddRange(sizes);
        return (images, GtsrbTensors.ToLabelTensor(samples));
    }
}
