using System.IO.Compression;
using TrafficSigns.Experiments.Gtsrb;

namespace TrafficSigns.Experiments.Download;

/// <summary>
/// Unpacks the three downloaded archives into a fresh folder inside the cache, checks the official layout and image
/// counts, and renames the folder to <see cref="GtsrbCache.DataFolder"/> in one step: a half-unpacked folder never has
/// the data folder's name. The archives are deleted once the data folder is in place.
/// </summary>
internal static class GtsrbUnpacker
{
    public static string Unpack(GtsrbCache cache, GtsrbDownloadOptions options, Action<DownloadProgress> progress, CancellationToken cancellation)
    {
        cache.RemoveAbandonedUnpackFolders();
        string unpacking = cache.NewUnpackFolder();
        try
        {
            Directory.CreateDirectory(unpacking);
            foreach (var archive in options.Archives.All)
                ExtractInto(cache.ArchivePath(archive), unpacking, progress, cancellation);
            CheckLayout(unpacking, options.Archives);
            File.WriteAllText(Path.Combine(unpacking, GtsrbCache.ManifestName), GtsrbCache.Manifest(options.BaseUrl, options.Archives));
            if (Directory.Exists(cache.DataFolder) && !cache.IsComplete)
                Directory.Delete(cache.DataFolder, recursive: true);  // not ours as it stands (no manifest): replace it
            try
            {
                Directory.Move(unpacking, cache.DataFolder);
            }
            catch (IOException) when (cache.IsComplete)
            {
                // Another run finished first; its folder holds the same checked data.
            }
        }
        finally
        {
            if (Directory.Exists(unpacking))
                Directory.Delete(unpacking, recursive: true);
        }
        foreach (var archive in options.Archives.All)
            File.Delete(cache.ArchivePath(archive));
        return cache.DataFolder;
    }

    /// <summary>Extracts every entry, refusing any whose path would leave <paramref name="folder"/>.</summary>
    private static void ExtractInto(string zip, string folder, Action<DownloadProgress> progress, CancellationToken cancellation)
    {
        string step = "unpacking " + Path.GetFileName(zip);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        using var archive = Open(zip);
        long total = archive.Entries.Sum(e => e.Length), done = 0;
        progress(new DownloadProgress(step, 0, total));
        foreach (var entry in archive.Entries)
        {
            cancellation.ThrowIfCancellationRequested();
            string path = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!path.StartsWith(root, StringComparison.Ordinal))
                throw new InvalidDataException($"'{zip}': entry '{entry.FullName}' would unpack outside '{folder}'; this is not an official GTSRB archive.");
            if (entry.Name.Length == 0)
            {
                Directory.CreateDirectory(path);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
            done += entry.Length;
            progress(new DownloadProgress(step, done, total));
        }
    }

    private static ZipArchive Open(string zip)
    {
        try
        {
            return ZipFile.OpenRead(zip);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{zip}' is not a readable zip archive ({e.Message}); delete it and run again.", e);
        }
    }

    private static void CheckLayout(string folder, GtsrbArchiveSet archives)
    {
        string expected = $"Expected {archives.TrainingImageCount:N0} training images in GTSRB/Final_Training/Images/000NN (one row each in " +
            $"GT-000NN.csv), {archives.TestImageCount:N0} test images in GTSRB/Final_Test/Images and one row each in GT-final_test.csv.";
        try
        {
            string trainingImages = Path.Combine(folder, "GTSRB", "Final_Training", "Images");
            string testImages = Path.Combine(folder, "GTSRB", "Final_Test", "Images");
            foreach (var required in new[] { trainingImages, testImages })
                if (!Directory.Exists(required))
                    throw new DirectoryNotFoundException($"no folder {Path.GetRelativePath(folder, required)}");
            Count("training images (rows of GT-000NN.csv)", GtsrbReader.ReadTraining(folder).Count, archives.TrainingImageCount);
            Count("training images (.ppm files)", Directory.EnumerateFiles(trainingImages, "*.ppm", SearchOption.AllDirectories).Count(), archives.TrainingImageCount);
            Count("test images (rows of GT-final_test.csv)", GtsrbTestReader.Read(folder).Count, archives.TestImageCount);
            Count("test images (.ppm files)", Directory.EnumerateFiles(testImages, "*.ppm").Count(), archives.TestImageCount);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"The unpacked GTSRB archives do not have the official layout: {e.Message}. {expected}", e);
        }
    }

    private static void Count(string what, int found, int expected)
    {
        if (found != expected)
            throw new InvalidDataException($"found {found:N0} {what}, expected {expected:N0}");
    }
}
