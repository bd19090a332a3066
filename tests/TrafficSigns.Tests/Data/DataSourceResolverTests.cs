using System.Diagnostics;
using TrafficSigns.Data;

namespace TrafficSigns.Tests.Data;

/// <summary>The order of data sources and the fallback to the built-in subset; only loopback addresses, never ../shared.</summary>
[TestClass]
public sealed class DataSourceResolverTests
{
    private static DataSource Resolve(DataSourceOptions options, IDownloadDisplay display) =>
        DataSourceResolver.Resolve(options, display, CancellationToken.None);

    [TestMethod]
    public void DownloadsWhenNothingLocalIsThereThenUsesTheCache()
    {
        using var bed = new DownloadTestBed();

        var first = Resolve(bed.SourceOptions(), bed.Display);

        Assert.AreEqual(DataSourceKind.Download, first.Kind, first.Message);
        Assert.AreEqual(bed.Cache.DataFolder, first.TrainingRoot);
        Assert.AreEqual(bed.Cache.DataFolder, first.OfficialTestRoot);
        StringAssert.Contains(first.Message, "just downloaded from " + bed.Server.BaseUrl);
        StringAssert.Contains(first.Message, "official test set");
        Assert.AreEqual(1, bed.Display.Shown);

        int requests = bed.Server.Requests.Count;
        var second = Resolve(bed.SourceOptions(offline: true), bed.Display);

        Assert.AreEqual(DataSourceKind.Cache, second.Kind, "a complete download is used, offline too");
        Assert.AreEqual(first.TrainingRoot, second.TrainingRoot);
        Assert.AreEqual(requests, bed.Server.Requests.Count, "no request for cached data");
        Assert.AreEqual(1, bed.Display.Shown, "no progress display without a download");
    }

    [TestMethod]
    public void TheDataOptionComesFirstThenTheSharedFolderThenTheCache()
    {
        using var bed = new DownloadTestBed();
        string given = Path.Combine(bed.Root, "given");
        bed.Archives.UnpackInto(given);
        string shared = Path.Combine(bed.Root, "shared-gtsrb");
        Directory.CreateDirectory(Path.Combine(shared, "Final_Training", "Images"));
        bed.Download();
        var options = bed.SourceOptions() with { DataFolder = given, SharedFolder = shared };

        var fromData = Resolve(options, bed.Display);
        var fromShared = Resolve(options with { DataFolder = null }, bed.Display);
        var fromCache = Resolve(options with { DataFolder = null, SharedFolder = Path.Combine(bed.Root, "absent") }, bed.Display);

        Assert.AreEqual((DataSourceKind.DataOption, given, given), (fromData.Kind, fromData.TrainingRoot, fromData.OfficialTestRoot));
        Assert.AreEqual((DataSourceKind.SharedFolder, shared, (string?)null), (fromShared.Kind, fromShared.TrainingRoot, fromShared.OfficialTestRoot));
        StringAssert.Contains(fromShared.Message, "no official test set there, so the test set is held-out tracks");
        Assert.AreEqual(DataSourceKind.Cache, fromCache.Kind);
        Assert.AreEqual(3, bed.Server.Requests.Count, "only the one download");
        Assert.AreEqual(0, bed.Display.Shown);
    }

    [TestMethod]
    public void AMissingDataFolderIsAnArgumentError()
    {
        using var bed = new DownloadTestBed();
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            Resolve(bed.SourceOptions() with { DataFolder = Path.Combine(bed.Root, "nope") }, bed.Display));
        StringAssert.Contains(e.Message, Path.Combine(bed.Root, "nope"));
    }

    [TestMethod]
    public void OfflineUsesTheBuiltInSubsetAtOnceAndSaysSo()
    {
        using var bed = new DownloadTestBed();
        var clock = Stopwatch.StartNew();

        var source = Resolve(bed.SourceOptions(offline: true), bed.Display);

        Assert.IsLessThan(1.0, clock.Elapsed.TotalSeconds);
        Assert.AreEqual((DataSourceKind.BuiltIn, bed.BuiltIn, (string?)null), (source.Kind, source.TrainingRoot, source.OfficialTestRoot));
        StringAssert.StartsWith(source.Message, "--offline: no download");
        StringAssert.Contains(source.Message, "Using the built-in subset");
        Assert.IsEmpty(bed.Server.Requests, "offline means no request at all");
    }

    [TestMethod]
    public void AClosedPortFromTheCommandLineFallsBackWithinSeconds()
    {
        using var bed = new DownloadTestBed();
        var url = LoopbackHttpServer.ClosedPortUrl();
        var options = DataSourceOptions.From(null, offline: false, cache: bed.Options.CacheFolder, downloadUrl: url.ToString())
            with { SharedFolder = null, BuiltInFolder = bed.BuiltIn };
        var clock = Stopwatch.StartNew();

        var source = Resolve(options, bed.Display);

        Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds, "within seconds, without retries");
        Assert.AreEqual(DataSourceKind.BuiltIn, source.Kind, source.Message);
        StringAssert.StartsWith(source.Message, $"Offline: {url.GetLeftPart(UriPartial.Authority)} could not be reached");
        StringAssert.Contains(source.Message, "Using the built-in subset");
        Assert.IsFalse(File.Exists(Path.Combine(bed.Options.CacheFolder, "gtsrb-final", GtsrbCache.ManifestName)));
    }

    [TestMethod]
    public void AServerThatNeverAnswersFallsBackAfterTheResponseTimeout()
    {
        using var bed = new DownloadTestBed();
        // Accepts connections (the kernel completes the handshake) and never answers.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var url = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/gtsrb/");
            var options = bed.SourceOptions() with { Download = bed.Options with { BaseUrl = url, ResponseTimeout = TimeSpan.FromSeconds(1) } };
            var clock = Stopwatch.StartNew();

            var source = Resolve(options, bed.Display);

            Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds);
            Assert.AreEqual(DataSourceKind.BuiltIn, source.Kind, source.Message);
            StringAssert.Contains(source.Message, "could not be reached: no answer within 1 s");
        }
        finally
        {
            silent.Stop();
        }
    }

    [TestMethod]
    public void AConnectionThatNeverCompletesFallsBackAfterTheConnectTimeout()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Inconclusive("Relies on Linux dropping connection requests to a listener whose accept queue is full.");
        using var bed = new DownloadTestBed();
        // A listener that never accepts, its queue filled: Linux drops further SYNs, as a firewall that drops packets does.
        using var full = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        full.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        full.Listen(0);
        var endpoint = (System.Net.IPEndPoint)full.LocalEndPoint!;
        var fillers = Enumerable.Range(0, 3).Select(_ => new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)).ToList();
        try
        {
            foreach (var filler in fillers)
                _ = filler.ConnectAsync(endpoint);
            Thread.Sleep(300);
            var url = new Uri($"http://127.0.0.1:{endpoint.Port}/gtsrb/");
            var options = bed.SourceOptions() with { Download = bed.Options with { BaseUrl = url, ConnectTimeout = TimeSpan.FromSeconds(1), ResponseTimeout = TimeSpan.FromSeconds(30) } };
            var clock = Stopwatch.StartNew();

            var source = Resolve(options, bed.Display);

            Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds, "the connect timeout, not the 30 s response timeout");
            Assert.AreEqual(DataSourceKind.BuiltIn, source.Kind, source.Message);
            StringAssert.Contains(source.Message, "could not be reached: no connection within 1 s");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [TestMethod]
    public void AFailedDownloadFallsBackAndSaysWhy()
    {
        using var bed = new DownloadTestBed();
        var archives = bed.Options.Archives;
        var options = bed.SourceOptions() with
        {
            Download = bed.Options with { Archives = archives with { TestLabels = archives.TestLabels with { Md5 = "ffffffffffffffffffffffffffffffff" } } },
        };

        var source = Resolve(options, bed.Display);

        Assert.AreEqual(DataSourceKind.BuiltIn, source.Kind);
        StringAssert.StartsWith(source.Message, $"The GTSRB download from {bed.Server.BaseUrl} failed: GTSRB_Final_Test_GT.zip");
        StringAssert.Contains(source.Message, "expected ffffffffffffffffffffffffffffffff");
        StringAssert.Contains(source.Message, "Using the built-in subset");
    }

    [TestMethod]
    public void WithoutTheBuiltInSubsetTheErrorNamesEveryStep()
    {
        using var bed = new DownloadTestBed();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            Resolve(bed.SourceOptions(offline: true) with { BuiltInFolder = Path.Combine(bed.Root, "absent") }, bed.Display));
        StringAssert.Contains(e.Message, "--offline");
        StringAssert.Contains(e.Message, "is missing too: pass --data");
    }
}
