using System.Globalization;

namespace TrafficSigns.Experiments.Download;

/// <summary>
/// Layout of the download cache folder:
/// <c>archives/NAME.zip.part</c> (a download in progress, resumed next time), <c>archives/NAME.zip</c> (complete and
/// checked, kept until unpacked), <c>.unpack-*</c> (an extraction in progress, never read) and <c>gtsrb-final/</c>
/// (the three archives unpacked and checked, renamed into place in one step, so it is complete whenever it exists).
/// </summary>
internal sealed class GtsrbCache(string folder)
{
    /// <summary>Written into the data folder just before it is renamed into place.</summary>
    public const string ManifestName = "downloaded-from.txt";

    private const string UnpackPrefix = ".unpack-";

    /// <summary>The cache folder.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The complete data: <c>GTSRB/Final_Training</c>, <c>GTSRB/Final_Test</c> and <c>GT-final_test.csv</c>.</summary>
    public string DataFolder => Path.Combine(Folder, "gtsrb-final");

    /// <summary>Whether the data folder is there (it only ever appears complete).</summary>
    public bool IsComplete => File.Exists(Path.Combine(DataFolder, ManifestName));

    public string ArchivesFolder => Path.Combine(Folder, "archives");

    public string ArchivePath(GtsrbArchive archive) => Path.Combine(ArchivesFolder, archive.FileName);

    public string PartialPath(GtsrbArchive archive) => ArchivePath(archive) + ".part";

    /// <summary>A fresh folder for one extraction, inside the cache so that the final rename stays on one volume.</summary>
    public string NewUnpackFolder() => Path.Combine(Folder, UnpackPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>Deletes extraction folders a crashed run left (unchanged for an hour; unpacking takes minutes).</summary>
    public void RemoveAbandonedUnpackFolders()
    {
        if (!Directory.Exists(Folder))
            return;
        foreach (var stale in Directory.EnumerateDirectories(Folder, UnpackPrefix + "*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(stale) < TimeSpan.FromHours(1))
                continue;
            try { Directory.Delete(stale, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    public static string Manifest(Uri baseUrl, GtsrbArchiveSet archives) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        Unpacked {DateTime.UtcNow:u} from {baseUrl}
        {string.Join(Environment.NewLine, archives.All.Select(a => $"{a.FileName} md5 {a.Md5 ?? "(not checked)"}"))}
        training images {archives.TrainingImageCount}, test images {archives.TestImageCount}

        """);
}
