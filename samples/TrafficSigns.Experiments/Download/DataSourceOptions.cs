namespace TrafficSigns.Experiments.Download;

/// <summary>Where <see cref="DataSourceResolver"/> looks for GTSRB, and where the download command puts it.</summary>
internal sealed record DataSourceOptions
{
    /// <summary>--data: a folder in the official or the Kaggle layout; must exist. Default null (not given).</summary>
    public string? DataFolder { get; init; }

    /// <summary>Used when present. Default <c>../shared/data/gtsrb</c>, relative to the working folder; null skips it.</summary>
    public string? SharedFolder { get; init; } = Path.Combine("..", "shared", "data", "gtsrb");

    /// <summary>The last resort. Default the program's <c>Data/gtsrb-subset</c> beside its binaries.</summary>
    public string BuiltInFolder { get; init; } = Path.Combine(AppContext.BaseDirectory, "Data", "gtsrb-subset");

    /// <summary>--cache, --download-url and the download's limits.</summary>
    public GtsrbDownloadOptions Download { get; init; } = new();

    /// <summary>
    /// The options of the command line: <c>--data &lt;dir&gt;</c>, <c>--cache &lt;dir&gt;</c>,
    /// <c>--download-url &lt;http(s) base URL&gt;</c> (null or empty = not given).
    /// </summary>
    /// <exception cref="ArgumentException">--download-url is not an absolute http or https URL.</exception>
    public static DataSourceOptions From(string? data, string? cache, string? downloadUrl)
    {
        var download = new GtsrbDownloadOptions();
        if (cache is { Length: > 0 })
            download = download with { CacheFolder = cache };
        if (downloadUrl is { Length: > 0 })
            download = download with { BaseUrl = BaseUrl(downloadUrl) };
        return new DataSourceOptions { DataFolder = data is { Length: > 0 } ? data : null, Download = download };
    }

    private static Uri BaseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"--download-url expects the http(s) base URL of the GTSRB archives, e.g. {GtsrbDownloadOptions.OfficialBaseUrl}; got '{text}'.");
        // Without the final '/', new Uri(base, name) would replace the last segment instead of appending to it.
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
