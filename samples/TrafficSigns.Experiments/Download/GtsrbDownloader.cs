using System.Net;
using System.Net.Http.Headers;

namespace TrafficSigns.Experiments.Download;

/// <summary>
/// Brings the official GTSRB into the cache: downloads each archive not already there (resuming partial downloads),
/// checks it, unpacks all three atomically (<see cref="GtsrbUnpacker"/>), and returns the data folder.
/// </summary>
internal static class GtsrbDownloader
{
    /// <summary>The complete data folder (<see cref="GtsrbCache.DataFolder"/>), downloaded and unpacked as needed.</summary>
    /// <exception cref="NetworkUnavailableException">The server could not be reached at all.</exception>
    /// <exception cref="InvalidDataException">An archive's MD5, its zip structure or the unpacked layout is wrong.</exception>
    /// <exception cref="HttpRequestException">The server answered 4xx (a wrong --download-url).</exception>
    /// <exception cref="IOException">The download kept failing; what was received is kept for the next run.</exception>
    public static async Task<string> EnsureAsync(GtsrbDownloadOptions options, Action<DownloadProgress> progress, CancellationToken cancellation)
    {
        var cache = new GtsrbCache(options.CacheFolder);
        if (cache.IsComplete)
            return cache.DataFolder;
        Directory.CreateDirectory(cache.ArchivesFolder);
        using var http = CreateClient(options);
        var download = new HttpArchiveDownload(http, options);
        bool firstContact = true;
        foreach (var archive in options.Archives.All)
        {
            string path = cache.ArchivePath(archive);
            if (File.Exists(path) && (archive.Md5 is null || string.Equals(HttpArchiveDownload.Md5(path), archive.Md5, StringComparison.OrdinalIgnoreCase)))
                continue;  // downloaded and checked by an earlier run that did not get to unpack
            await download.DownloadAsync(new Uri(options.BaseUrl, archive.FileName), path, archive.Md5, firstContact, progress, cancellation);
            firstContact = false;
        }
        return GtsrbUnpacker.Unpack(cache, options, progress, cancellation);
    }

    private static HttpClient CreateClient(GtsrbDownloadOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,  // byte offsets of Range requests refer to the file itself
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };  // per-step limits: ResponseTimeout
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MlLinearized-TrafficSigns", "1.0"));
        return client;
    }
}
