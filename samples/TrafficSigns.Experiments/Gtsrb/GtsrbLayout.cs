using System.Globalization;
using System.Text.RegularExpressions;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Finds the class folders of the official <c>GTSRB/Final_Training/Images/000NN</c> layout (as
/// <c>GTSRB_Final_Training_Images.zip</c> unpacks).
/// </summary>
internal static partial class GtsrbLayout
{
    public const string Expected =
        "Expected the folder holding Final_Training, Final_Training itself, or Final_Training/Images (or the folder holding " +
        "GTSRB/Final_Training, where GTSRB_Final_Training_Images.zip was unpacked), " +
        "whose class folders 000NN each hold GT-000NN.csv and the TTTTT_FFFFF.ppm images; or the Kaggle layout's folder holding " +
        "Train.csv beside Train/<classId>/CCCCC_TTTTT_FFFFF.png (and Test.csv beside Test/NNNNN.png).";

    /// <summary>The <c>Images</c> folder under any of the accepted roots.</summary>
    public static string FindImagesFolder(string root)
    {
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"GTSRB folder '{root}' does not exist. {Expected}");
        string[] candidates =
        {
            Path.Combine(full, "Final_Training", "Images"),
            Path.Combine(full, "Images"),
            full,
            Path.Combine(full, "GTSRB", "Final_Training", "Images"),
        };
        foreach (var candidate in candidates)
        {
            if (Directory.Exists(candidate) && ClassFolders(candidate).Count > 0)
                return candidate;
        }
        throw new DirectoryNotFoundException(
            $"'{root}' is not a GTSRB training folder: no class folders 000NN in '{candidates[0]}', '{candidates[1]}', '{candidates[2]}' or '{candidates[3]}'. {Expected}");
    }

    /// <summary>Class folders (five-digit names) of an Images folder, by class id.</summary>
    public static IReadOnlyList<(int ClassId, string Path)> ClassFolders(string imagesFolder) =>
        Directory.EnumerateDirectories(imagesFolder)
            .Select(dir => (Name: System.IO.Path.GetFileName(dir), Path: dir))
            .Where(d => ClassFolderName().IsMatch(d.Name))
            .Select(d => (int.Parse(d.Name, NumberStyles.None, CultureInfo.InvariantCulture), d.Path))
            .OrderBy(d => d.Item1)
            .ToList();

    /// <summary>The annotation file of a class folder, <c>GT-000NN.csv</c>.</summary>
    public static string AnnotationFile(string classFolder)
    {
        string path = Path.Combine(classFolder, $"GT-{Path.GetFileName(classFolder)}.csv");
        if (!File.Exists(path))
            throw new InvalidDataException($"GTSRB class folder '{classFolder}' has no annotation file '{Path.GetFileName(path)}'. {Expected}");
        return path;
    }

    [GeneratedRegex(@"^[0-9]{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClassFolderName();
}
