namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Finds the official GTSRB test set: the images <c>GTSRB/Final_Test/Images/NNNNN.ppm</c> of
/// <c>GTSRB_Final_Test_Images.zip</c> (which also holds <c>GT-final_test.test.csv</c>, without class ids) and the
/// labelled <c>GT-final_test.csv</c>, which <c>GTSRB_Final_Test_GT.zip</c> holds at its top level.
/// </summary>
internal static class GtsrbTestLayout
{
    /// <summary>The labelled annotation file, from <c>GTSRB_Final_Test_GT.zip</c>.</summary>
    public const string LabelFile = "GT-final_test.csv";

    /// <summary>The annotation file of the images archive; it has no ClassId column.</summary>
    public const string UnlabelledFile = "GT-final_test.test.csv";

    public const string Expected =
        "Expected the official test layout: the images Final_Test/Images/NNNNN.ppm (from GTSRB_Final_Test_Images.zip) under " +
        "the folder given, its GTSRB folder, or as the folder itself, and the labelled " + LabelFile + " (from GTSRB_Final_Test_GT.zip) " +
        "in the images folder or any folder above it up to the folder given.";

    /// <summary>
    /// The images folder: the first of <c>root/GTSRB/Final_Test/Images</c>, <c>root/Final_Test/Images</c>,
    /// <c>root/Images</c> and <c>root</c> that directly holds PPM files; null when none does.
    /// </summary>
    public static string? FindImagesFolder(string root)
    {
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            return null;
        string[] candidates =
        {
            Path.Combine(full, "GTSRB", "Final_Test", "Images"),
            Path.Combine(full, "Final_Test", "Images"),
            Path.Combine(full, "Images"),
            full,
        };
        return candidates.FirstOrDefault(c => Directory.Exists(c) && Directory.EnumerateFiles(c, "*.ppm").Any());
    }

    /// <summary><see cref="LabelFile"/> in <paramref name="imagesFolder"/> or the nearest folder above it, up to <paramref name="root"/>; null when absent.</summary>
    public static string? FindLabelFile(string root, string imagesFolder)
    {
        string top = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        for (string? folder = imagesFolder; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            string candidate = Path.Combine(folder, LabelFile);
            if (File.Exists(candidate))
                return candidate;
            if (string.Equals(Path.TrimEndingDirectorySeparator(folder), top, StringComparison.Ordinal))
                break;
        }
        return null;
    }
}
