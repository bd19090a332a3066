using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace TrafficSigns.Experiments.Download;

/// <summary>
/// Downloads one file over HTTP into <c>destination.part</c> — resuming what an earlier attempt or run left there with a
/// Range request, or starting over when the server ignores it — checks the bytes received against the server's
/// Content-Length / Content-Range and the MD5, and only then renames it to <c>destination</c>. A failed check deletes
/// the partial file; an interrupted transfer keeps it for the next attempt.
/// </summary>
internal sealed class HttpArchiveDownload(HttpClient http, GtsrbDownloadOptions options)
{
    private const int BufferSize = 1 << 16;

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>.</summary>
    /// <param name="url">The file.</param>
    /// <param name="destination">Where the complete, checked file goes.</param>
    /// <param name="md5">Expected MD5, lowercase hex; null skips the check.</param>
    /// <param name="firstContact">
    /// True for the first request to the server: when it cannot be reached, fail at once with
    /// <see cref="NetworkUnavailableException"/> instead of retrying.
    /// </param>
    /// <param name="progress">Bytes so far of <paramref name="destination"/>'s file name.</param>
    /// <param name="cancellation">Stops the download; the partial file stays for the next run.</param>
    /// <exception cref="NetworkUnavailableException">First contact, and the server could not be reached.</exception>
    /// <exception cref="InvalidDataException">The MD5 of a complete, freshly downloaded file differs.</exception>
    /// <exception cref="HttpRequestException">The server answered with a client error (4xx), e.g. 404 for a wrong URL.</exception>
    /// <exception cref="IOException">Every attempt failed; the message gives the last reason.</exception>
    public async Task DownloadAsync(Uri url, string destination, string? md5, bool firstContact, Action<DownloadProgress> progress,
        CancellationToken cancellation)
    {
        string part = destination + ".part";
        Exception? last = null;
        for (int attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(options.RetryDelay * (attempt - 1), cancellation);
            long resumedFrom;
            try
            {
                resumedFrom = await AttemptAsync(url, part, firstContact && attempt == 1, progress, cancellation);
            }
            catch (Exception e) when (IsTransient(e, cancellation))
            {
                last = e;
                continue;
            }
            if (md5 is not null && Md5(part) is var actual && !string.Equals(actual, md5, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(part);
                string problem = $"{Path.GetFileName(destination)} from {url} has MD5 {actual}, expected {md5}";
                if (resumedFrom > 0)
                {
                    // The kept part may come from another version of the file: start over once before calling it corrupt.
                    last = new InvalidDataException(problem + $" (after resuming at byte {resumedFrom:N0})");
                    continue;
                }
                throw new InvalidDataException(problem + ". The download was deleted; run again to download it afresh, or check --download-url.");
            }
            File.Move(part, destination, overwrite: true);
            return;
        }
        throw new IOException(
            $"Downloading {url} failed {options.MaxAttempts} times; the last error: {Describe(last!)}. " +
            (File.Exists(part) ? $"The {new FileInfo(part).Length:N0} bytes received are kept in '{part}'; run again to resume." : "Run again to retry."),
            last);
    }

    /// <summary>The MD5 of a file, lowercase hex.</summary>
    public static string Md5(string path)
    {
        using var stream = File.OpenRead(path);
#pragma warning disable CA5351 // GTSRB's archive publishes MD5 sums: an integrity check of a download, not security.
        return Convert.ToHexString(MD5.HashData(stream)).ToLowerInvariant();
#pragma warning restore CA5351
    }

    /// <summary>One request; returns the offset it resumed from (0 for a full download).</summary>
    private async Task<long> AttemptAsync(Uri url, string part, bool reachOrFail, Action<DownloadProgress> progress, CancellationToken cancellation)
    {
        string name = Path.GetFileNameWithoutExtension(part);
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
            request.Headers.Range = new RangeHeaderValue(have, null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.ResponseTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception e) when (reachOrFail && IsTransient(e, cancellation))
        {
            throw new NetworkUnavailableException($"{url.GetLeftPart(UriPartial.Authority)} could not be reached: {Describe(e)}", e);
        }
        using (response)
        {
            if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                if (response.Content.Headers.ContentRange?.Length == have)
                {
                    progress(new DownloadProgress(name, have, have));
                    return have;  // the partial file was already complete
                }
                File.Delete(part);
                throw new IOException($"the {have:N0} bytes kept do not fit the file on the server; starting over");
            }
            if ((int)response.StatusCode is >= 400 and < 500)
                throw new HttpRequestException(
                    $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: check --download-url (the base URL of the GTSRB archives).",
                    null, response.StatusCode);
            response.EnsureSuccessStatusCode();

            long start = 0;
            long? total = response.Content.Headers.ContentLength;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != have)
                {
                    File.Delete(part);
                    throw new IOException($"asked for bytes from {have:N0}, the server sent {range?.ToString() ?? "no Content-Range"}; starting over");
                }
                (start, total) = (have, range.Length);
            }
            // Otherwise 200: a full body (the server ignored the Range, or none was asked): start over.

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            await using var file = new FileStream(part, start > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = new byte[BufferSize];
            long received = start;
            progress(new DownloadProgress(name, received, total));
            while (true)
            {
                timeout.CancelAfter(options.ResponseTimeout);  // a stall limit, re-armed for every block
                int read = await body.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                    break;
                await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
                received += read;
                progress(new DownloadProgress(name, received, total));
            }
            if (total is { } expected && received != expected)
                throw new IOException($"the connection closed after {received:N0} of {expected:N0} bytes");
            return start;
        }
    }

    /// <summary>Worth another attempt: network and server trouble, our own timeouts; not the caller's cancellation, not 4xx.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellation) =>
        !cancellation.IsCancellationRequested && e switch
        {
            NetworkUnavailableException => false,
            HttpRequestException h => h.StatusCode is null || (int)h.StatusCode >= 500,
            InvalidDataException => false,
            IOException or OperationCanceledException or TimeoutException => true,
            _ => false,
        };

    private string Describe(Exception e) => e switch
    {
        // SocketsHttpHandler.ConnectTimeout surfaces as a cancellation wrapping a TimeoutException (HttpClient.Timeout,
        // which does the same, is off); a cancellation without one is our ResponseTimeout.
        { InnerException: TimeoutException } => string.Create(CultureInfo.InvariantCulture, $"no connection within {options.ConnectTimeout.TotalSeconds:0.#} s"),
        OperationCanceledException => string.Create(CultureInfo.InvariantCulture, $"no answer within {options.ResponseTimeout.TotalSeconds:0.#} s"),
        _ when e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };
}
