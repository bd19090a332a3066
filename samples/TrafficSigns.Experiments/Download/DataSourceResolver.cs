using TrafficSigns.Experiments.Gtsrb;

namespace TrafficSigns.Experiments.Download;

/// <summary>
/// Picks the GTSRB the table and rectify commands use, first match wins: --data → <c>../shared/data/gtsrb</c> when
/// present → a complete download in the cache (the download command) → the built-in subset. Nothing is downloaded here:
/// the download command does that, once, on request.
/// </summary>
internal static class DataSourceResolver
{
    /// <exception cref="ArgumentException">--data names a folder that does not exist.</exception>
    /// <exception cref="InvalidOperationException">Nothing matched and the built-in subset is missing.</exception>
    public static DataSource Resolve(DataSourceOptions options)
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

        string reason = $"No --data, {(options.SharedFolder is null ? "" : $"no '{Path.GetFullPath(options.SharedFolder)}', ")}and no complete download in '{cache.Folder}' " +
            "('TrafficSigns.Experiments download' gets the official GTSRB).";
        string builtIn = Path.GetFullPath(options.BuiltInFolder);
        if (!Directory.Exists(builtIn))
            throw new InvalidOperationException($"{reason} The built-in subset '{builtIn}' is missing too: pass --data <GTSRB folder>.");
        var fallback = Local(DataSourceKind.BuiltIn, builtIn, "the built-in subset");
        return fallback with { Message = reason + Environment.NewLine + fallback.Message };
    }

    private static DataSource Local(DataSourceKind kind, string root, string what)
    {
        string full = Path.GetFullPath(root);
        bool test = GtsrbTestReader.Exists(full);
        string layout = GtsrbKaggleLayout.Holds(full) ? " (Kaggle layout)" : "";
        return new DataSource(kind, full, test, $"Using {what} ('{full}'){layout}{(test ? ", with the official test set" : "")}.");
    }
}
