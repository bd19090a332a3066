namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Reads the official GTSRB test set (12,630 images): the images <c>Final_Test/Images/NNNNN.ppm</c> of
/// <c>GTSRB_Final_Test_Images.zip</c> with the class ids of <c>GT-final_test.csv</c> from <c>GTSRB_Final_Test_GT.zip</c>
/// (the images archive's own <c>GT-final_test.test.csv</c> has no class ids). Images are not decoded. The samples are
/// the same <see cref="GtsrbSample"/> records as the training set's, with <see cref="GtsrbSample.TrackId"/> =
/// <see cref="GtsrbSample.NoTrack"/> and <see cref="GtsrbSample.FrameId"/> = the image number. A folder in the Kaggle
/// layout (holding <c>Test.csv</c> and <c>Test/</c>) is read by <see cref="GtsrbKaggleReader.ReadTest"/>: the same
/// 12,630 images as PNG, at their original sizes, labelled by <c>Test.csv</c>.
/// </summary>
internal static class GtsrbTestReader
{
    /// <summary>Whether <paramref name="root"/> holds the official test images and the labelled <c>GT-final_test.csv</c>.</summary>
    /// <param name="root">
    /// The folder where the test archives were unpacked (holding <c>GTSRB/Final_Test/Images</c>), the folder holding
    /// <c>Final_Test</c>, <c>Final_Test</c> itself, or <c>Final_Test/Images</c>.
    /// </param>
    /// <returns>True when <see cref="Read"/> would find both (Kaggle layout: <c>Test.csv</c> and <c>Test/</c>); it may still reject malformed rows.</returns>
    public static bool Exists(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (GtsrbKaggleLayout.HoldsTest(root))
            return true;
        return GtsrbTestLayout.FindImagesFolder(root) is { } images && GtsrbTestLayout.FindLabelFile(root, images) is not null;
    }

    /// <summary>Every labelled test sample, sorted by image number.</summary>
    /// <param name="root">
    /// The folder where the test archives were unpacked (holding <c>GTSRB/Final_Test/Images</c>), the folder holding
    /// <c>Final_Test</c>, <c>Final_Test</c> itself, or <c>Final_Test/Images</c>; <c>GT-final_test.csv</c> may lie in the
    /// images folder or any folder above it up to <paramref name="root"/>.
    /// </param>
    /// <returns>The samples; image paths are full paths to existing files.</returns>
    /// <exception cref="DirectoryNotFoundException">No test images under <paramref name="root"/>.</exception>
    /// <exception cref="FileNotFoundException"><c>GT-final_test.csv</c> is missing, or a row names an image that is not there.</exception>
    /// <exception cref="InvalidDataException">The annotation file is malformed, names an image twice, or has no rows.</exception>
    public static IReadOnlyList<GtsrbSample> Read(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (GtsrbKaggleLayout.HoldsTest(root))
            return GtsrbKaggleReader.ReadTest(root);
        string images = GtsrbTestLayout.FindImagesFolder(root)
            ?? throw new DirectoryNotFoundException($"'{root}' holds no official GTSRB test images (NNNNN.ppm). {GtsrbTestLayout.Expected}");
        string labels = GtsrbTestLayout.FindLabelFile(root, images) ?? throw MissingLabels(root, images);

        var samples = GtsrbAnnotationCsv.ReadTest(labels, images);
        if (samples.Count == 0)
            throw new InvalidDataException($"GTSRB annotation file '{labels}' has a header but no rows.");
        var seen = new HashSet<int>();
        foreach (var sample in samples)
        {
            if (!seen.Add(sample.FrameId))
                throw new InvalidDataException($"GTSRB annotation file '{labels}' names image {sample.FrameId:D5} twice.");
            if (!File.Exists(sample.ImagePath))
                throw new FileNotFoundException(
                    $"GTSRB annotation file '{labels}' names '{Path.GetFileName(sample.ImagePath)}', which is not in '{images}': " +
                    "the labels and the images come from different releases, or the images archive was not fully unpacked.", sample.ImagePath);
        }
        samples.Sort((a, b) => a.FrameId.CompareTo(b.FrameId));
        return samples.AsReadOnly();
    }

    private static FileNotFoundException MissingLabels(string root, string images)
    {
        bool unlabelledOnly = File.Exists(Path.Combine(images, GtsrbTestLayout.UnlabelledFile));
        return new FileNotFoundException(
            $"No {GtsrbTestLayout.LabelFile} for the test images in '{images}'" +
            (unlabelledOnly ? $" ({GtsrbTestLayout.UnlabelledFile} beside them has no class ids)" : "") +
            $": unpack GTSRB_Final_Test_GT.zip into '{root}' or the images folder. {GtsrbTestLayout.Expected}",
            GtsrbTestLayout.LabelFile);
    }
}
