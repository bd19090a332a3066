using System.Globalization;
using Ml.Trainers.Datasets;

namespace TrafficSigns.Data;

/// <summary>
/// Picks the sample's data, first match wins: --data → <c>../shared/data/gtsrb</c> when present → a complete earlier
/// download in the cache → a download of the official archives (unless --offline) → the built-in subset. Network trouble
/// and failed downloads fall back to the built-in subset with a message that says why; nothing is left half-done.
/// </summary>
internal static class DataSourceResolver
{
    /// <summary>Resolves the data, downloading it (shown by <paramref name="display"/>) when that is the first match.</summary>
    /// <exception cref="ArgumentException">--data names a folder that does not exist.</exception>
    /// <exception cref="InvalidOperationException">Nothing matched and the built-in subset is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; a partial download stays in the cache and resumes next time.</exception>
    public static DataSource Resolve(DataSourceOptions options, IDownloadDisplay display, CancellationToken cancellation)
    {
        if (options.DataFolder is { } data)
        {
            if (!Directory.Exists(data))
                throw new ArgumentException($"--data: folder '{data}' does not exist.");
            return Local(DataSourceKind.DataOption, data, "the folder given with --data");
        }
        if (options.SharedFolder is { } shared && Directory.Exists(shared))
            return Local(DataSourceKind.SharedFolder, shared, "the shared data folder");

        var cache = new GtsrbCache(options.Download.CacheFolder);
        if (cache.IsComplete)
            return Local(DataSourceKind.Cache, cache.DataFolder, "the official GTSRB downloaded earlier");
        if (options.Offline)
            return BuiltIn(options, "--offline: no download; a complete earlier download would have been used, there is none in " +
                $"'{cache.Folder}'.");

        string url = options.Download.BaseUrl.ToString();
        try
        {
            string folder = display.Show(progress => GtsrbDownloader.EnsureAsync(options.Download, progress, cancellation).GetAwaiter().GetResult());
            return Local(DataSourceKind.Download, folder, $"the official GTSRB, just downloaded from {url}");
        }
        catch (NetworkUnavailableException e)
        {
            return BuiltIn(options, $"Offline: {e.Message}. Run again online to download the official GTSRB, or pass --data <dir>.");
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is IOException or InvalidDataException or HttpRequestException or UnauthorizedAccessException)
        {
            return BuiltIn(options, $"The GTSRB download from {url} failed: {e.Message}");
        }
    }

    private static DataSource Local(DataSourceKind kind, string root, string what)
    {
        string full = Path.GetFullPath(root);
        string? test = GtsrbTestReader.Exists(full) ? full : null;
        string layout = GtsrbKaggleLayout.Holds(full) ? " (Kaggle layout)" : "";
        return new DataSource(kind, full, test, $"Using {what} ('{full}'){layout}: " +
            (test is null ? "no official test set there, so the test set is held-out tracks." : "training set and official test set."));
    }

    private static DataSource BuiltIn(DataSourceOptions options, string reason)
    {
        string full = Path.GetFullPath(options.BuiltInFolder);
        if (!Directory.Exists(full))
            throw new InvalidOperationException($"{reason} The built-in subset '{full}' is missing too: pass --data <folder with Final_Training>.");
        var fallback = Local(DataSourceKind.BuiltIn, full, "the built-in subset");
        return fallback with { Message = string.Create(CultureInfo.InvariantCulture, $"{reason}{Environment.NewLine}{fallback.Message}") };
    }
}
