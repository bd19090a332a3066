namespace TrafficSigns.Experiments.Download;

/// <summary>Where the official GTSRB comes from, where it goes, and how patient the download is.</summary>
internal sealed record GtsrbDownloadOptions
{
    /// <summary>The benchmark's public archive, the base URL torchvision's GTSRB dataset downloads from.</summary>
    public static readonly Uri OfficialBaseUrl = new("https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/");

    /// <summary>Base URL; each archive is <c>BaseUrl + FileName</c>. Must end with '/'. Default <see cref="OfficialBaseUrl"/>.</summary>
    public Uri BaseUrl { get; init; } = OfficialBaseUrl;

    /// <summary>Cache folder (see <see cref="GtsrbCache"/>). Default <see cref="UserCacheFolder.Gtsrb"/>.</summary>
    public string CacheFolder { get; init; } = UserCacheFolder.Gtsrb();

    /// <summary>The archives, their MD5s and the image counts they must hold. Default <see cref="GtsrbArchiveSet.Official"/>.</summary>
    public GtsrbArchiveSet Archives { get; init; } = GtsrbArchiveSet.Official;

    /// <summary>
    /// Longest wait for a TCP (and TLS) connection, name resolution included. Default 5 s: an offline machine falls back
    /// to the built-in data within seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for the response headers, and for each block of the body (a stalled transfer). Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries per archive after the server was first reached; each resumes what the last one received. Default 4.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Pause before retry k, times k. Default 2 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
