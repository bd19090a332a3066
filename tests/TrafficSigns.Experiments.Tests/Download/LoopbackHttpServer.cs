using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TrafficSigns.Experiments.Tests.Download;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 and a free port, inside the test process: GET with or without
/// <c>Range: bytes=N-</c>, one request per connection, and scripted faults (cut or stall a body). Only loopback; every
/// wait is bounded.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, (long Bytes, bool Stall)> _faults = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public LoopbackHttpServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/gtsrb/");
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The base URL the files are served under, <c>http://127.0.0.1:PORT/gtsrb/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Files by name (the last segment of the request path).</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>When false, a Range header is ignored and the whole file comes back with 200, as some servers do.</summary>
    public bool SupportsRange { get; set; } = true;

    /// <summary>Every request: file name and the first byte asked for (0 without a Range header).</summary>
    public ConcurrentQueue<(string File, long RangeStart)> Requests { get; } = new();

    /// <summary>The next response for <paramref name="file"/> sends <paramref name="bytes"/> bytes of its body, then closes the connection.</summary>
    public void CutNextBody(string file, long bytes) => AddFault(file, bytes, stall: false);

    /// <summary>The next response for <paramref name="file"/> sends <paramref name="bytes"/> bytes of its body, then sends nothing more.</summary>
    public void StallNextBody(string file, long bytes) => AddFault(file, bytes, stall: true);

    public int RequestCount(string file) => Requests.Count(r => r.File == file);

    private void AddFault(string file, long bytes, bool stall) => _faults[file] = (bytes, stall);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(StallLimit);
        try
        {
            var stream = client.GetStream();
            var (path, rangeStart) = await ReadRequestHead(stream, timeout.Token);
            string file = path[(path.LastIndexOf('/') + 1)..];
            Requests.Enqueue((file, rangeStart ?? 0));
            if (!Files.TryGetValue(file, out var content))
            {
                await Write(stream, "404 Not Found", [], timeout.Token);
                return;
            }
            long start = SupportsRange ? rangeStart ?? 0 : 0;
            if (SupportsRange && rangeStart is { } s && s >= content.Length)
            {
                await Write(stream, "416 Range Not Satisfiable", [$"Content-Range: bytes */{content.Length}"], timeout.Token);
                return;
            }
            var headers = new List<string> { $"Content-Length: {content.Length - start}", "Accept-Ranges: bytes" };
            if (SupportsRange && rangeStart is not null)
                headers.Add($"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}");
            await Write(stream, SupportsRange && rangeStart is not null ? "206 Partial Content" : "200 OK", headers, timeout.Token);

            long end = content.Length;
            bool faulty = _faults.TryRemove(file, out var fault);  // one response only
            if (faulty)
                end = Math.Min(end, start + fault.Bytes);
            await stream.WriteAsync(content.AsMemory((int)start, (int)(end - start)), timeout.Token);
            await stream.FlushAsync(timeout.Token);
            if (faulty && fault.Stall)
                await Task.Delay(Timeout.Infinite, timeout.Token);  // until the client gives up and the test ends, at most StallLimit
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the stall ended: nothing to answer.
        }
    }

    private static async Task<(string Path, long? RangeStart)> ReadRequestHead(NetworkStream stream, CancellationToken cancellation)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, cancellation) == 0 || head.Length > 16_384)
                throw new IOException("incomplete request head");
            head.Append((char)buffer[0]);
        }
        var lines = head.ToString().Split("\r\n");
        string path = lines[0].Split(' ')[1];
        long? rangeStart = null;
        foreach (var line in lines.Skip(1))
            if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                rangeStart = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
        return (path, rangeStart);
    }

    private static async Task Write(NetworkStream stream, string status, IEnumerable<string> headers, CancellationToken cancellation)
    {
        var text = $"HTTP/1.1 {status}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}" +
            (status.StartsWith("20", StringComparison.Ordinal) ? "" : "Content-Length: 0\r\n") + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellation);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    /// <summary>A loopback port with nothing listening: connections are refused at once.</summary>
    public static Uri ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/gtsrb/");
    }
}
