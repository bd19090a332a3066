using TrafficSigns.Experiments.Download;

namespace TrafficSigns.Experiments.Tests.Download;

/// <summary>
/// One download test's world: a temp folder (cache, built-in subset stand-in), a loopback server with the tiny
/// official-layout archives, and download options pointing at both with the archives' true MD5s and short limits.
/// </summary>
internal sealed class DownloadTestBed : IDisposable
{
    public DownloadTestBed()
    {
        Root = Directory.CreateTempSubdirectory("trafficsigns-download-tests-").FullName;
        Archives.ServeFrom(Server);
        Options = new GtsrbDownloadOptions
        {
            BaseUrl = Server.BaseUrl,
            CacheFolder = Path.Combine(Root, "cache"),
            Archives = Archives.Describe(),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ResponseTimeout = TimeSpan.FromSeconds(2),
            MaxAttempts = 3,
            RetryDelay = TimeSpan.Zero,
        };
        // A stand-in for the built-in subset: a training layout of its own.
        BuiltIn = Path.Combine(Root, "builtin");
        Directory.CreateDirectory(Path.Combine(BuiltIn, "Final_Training", "Images", "00000"));
    }

    public string Root { get; }
    public OfficialLayoutArchives Archives { get; } = new();
    public LoopbackHttpServer Server { get; } = new();
    public GtsrbDownloadOptions Options { get; set; }
    public string BuiltIn { get; }
    public GtsrbCache Cache => new(Options.CacheFolder);
    public RecordingDisplay Display { get; } = new();

    /// <summary>Resolver options that can only reach this bed: no --data, no shared folder, this cache, the stand-in built-in subset.</summary>
    public DataSourceOptions SourceOptions() =>
        new() { SharedFolder = null, BuiltInFolder = BuiltIn, Download = Options };

    public string Download() => GtsrbDownloader.EnsureAsync(Options, Display.Record, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Everything in the cache folder, relative, sorted: what a run left behind.</summary>
    public string[] CacheContents() =>
        Directory.Exists(Options.CacheFolder)
            ? Directory.EnumerateFileSystemEntries(Options.CacheFolder, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Options.CacheFolder, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray()
            : [];

    public void Dispose()
    {
        Server.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Records the progress a download reports (the console's progress bar stands aside in tests).</summary>
internal sealed class RecordingDisplay : IDownloadDisplay
{
    private readonly object _gate = new();

    public List<DownloadProgress> Reports { get; } = [];

    public int Shown { get; private set; }

    public T Show<T>(Func<Action<DownloadProgress>, T> download)
    {
        Shown++;
        return download(Record);
    }

    public void Record(DownloadProgress progress)
    {
        lock (_gate)
            Reports.Add(progress);
    }

    public DownloadProgress Last(string step)
    {
        lock (_gate)
            return Reports.Last(r => r.Step == step);
    }
}
