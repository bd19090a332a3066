namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// The Kaggle layout of GTSRB (the "GTSRB - German Traffic Sign Recognition Benchmark" data set on Kaggle, the form in
/// which most people download it): <c>Train/&lt;classId&gt;/CCCCC_TTTTT_FFFFF.png</c> (class, track, frame; original
/// sizes), <c>Test/NNNNN.png</c>, the comma-separated <c>Train.csv</c> and <c>Test.csv</c>
/// (<c>Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path</c>; Path as <c>/code/Train/20/00020_00000_00000.png</c>),
/// <c>signnames.csv</c> (<c>ClassId,SignName</c>) and <c>Meta/</c> (one pictogram per class, not read).
/// </summary>
internal static class GtsrbKaggleLayout
{
    /// <summary>The training annotation file; its presence marks a folder as the Kaggle layout.</summary>
    public const string TrainingFile = "Train.csv";

    /// <summary>The labelled test annotation file.</summary>
    public const string TestFile = "Test.csv";

    /// <summary>The class names (<c>ClassId,SignName</c>), read when present.</summary>
    public const string ClassNamesFile = "signnames.csv";

    /// <summary>The folder of the training images (one sub-folder per class).</summary>
    public const string TrainingFolder = "Train";

    /// <summary>The folder of the test images.</summary>
    public const string TestFolder = "Test";

    public const string Expected =
        "Expected the Kaggle layout: Train.csv and Test.csv (Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path) beside the " +
        "folders Train/<classId>/CCCCC_TTTTT_FFFFF.png and Test/NNNNN.png, and optionally signnames.csv (ClassId,SignName).";

    /// <summary>Whether <paramref name="root"/> is the top of a Kaggle layout (it holds <c>Train.csv</c>).</summary>
    public static bool Holds(string root) => File.Exists(Path.Combine(root, TrainingFile));

    /// <summary>Whether <paramref name="root"/> holds the Kaggle layout's labelled test set (<c>Test.csv</c> and <c>Test/</c>).</summary>
    public static bool HoldsTest(string root) =>
        File.Exists(Path.Combine(root, TestFile)) && Directory.Exists(Path.Combine(root, TestFolder));

    /// <summary>
    /// The file a CSV Path names, under <paramref name="root"/>. The Kaggle CSVs prefix every path with the folder the
    /// data was made in (<c>/code/Train/...</c>); any such prefix is dropped: the path is taken from its last
    /// <paramref name="topFolder"/> segment on (either slash), or as relative to <paramref name="root"/> when it has none.
    /// </summary>
    /// <param name="root">The top of the layout.</param>
    /// <param name="csvPath">The Path field.</param>
    /// <param name="topFolder"><see cref="TrainingFolder"/> or <see cref="TestFolder"/>.</param>
    public static string Resolve(string root, string csvPath, string topFolder)
    {
        string[] segments = csvPath.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        int top = Array.FindLastIndex(segments, s => string.Equals(s, topFolder, StringComparison.OrdinalIgnoreCase));
        var relative = top >= 0 ? segments[top..] : segments;
        return Path.GetFullPath(Path.Combine([root, .. relative]));
    }
}
