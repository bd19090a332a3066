using System.Diagnostics;
using TrafficSigns.Experiments.Download;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Download;

/// <summary>
/// Where table and rectify find GTSRB (--data, the shared folder, a download in the cache, the built-in subset), and how
/// the download fails when the network does: only loopback addresses, never ../shared.
/// </summary>
[TestClass]
public sealed class DataSourceResolverTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ADownloadInTheCacheIsUsedWithoutAnotherRequest()
    {
        using var bed = new DownloadTestBed();
        bed.Download();
        int requests = bed.Server.Requests.Count;

        var source = DataSourceResolver.Resolve(bed.SourceOptions());

        Assert.AreEqual(DataSourceKind.Cache, source.Kind, source.Message);
        Assert.AreEqual(bed.Cache.DataFolder, source.Root);
        Assert.IsTrue(source.HasOfficialTestSet, "the download holds the official test set");
        StringAssert.Contains(source.Message, "the official GTSRB downloaded earlier");
        Assert.AreEqual(requests, bed.Server.Requests.Count, "no request for cached data");
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

        var fromData = DataSourceResolver.Resolve(options);
        var fromShared = DataSourceResolver.Resolve(options with { DataFolder = null });
        var fromCache = DataSourceResolver.Resolve(options with { DataFolder = null, SharedFolder = Path.Combine(bed.Root, "absent") });

        Assert.AreEqual((DataSourceKind.DataOption, given, true), (fromData.Kind, fromData.Root, fromData.HasOfficialTestSet));
        Assert.AreEqual((DataSourceKind.SharedFolder, shared, false), (fromShared.Kind, fromShared.Root, fromShared.HasOfficialTestSet));
        StringAssert.Contains(fromShared.Message, $"Using the shared data folder ('{shared}').");
        Assert.AreEqual(DataSourceKind.Cache, fromCache.Kind);
        Assert.AreEqual(3, bed.Server.Requests.Count, "only the one download");
    }

    [TestMethod]
    public void AMissingDataFolderIsAnArgumentError()
    {
        using var bed = new DownloadTestBed();
        var e = Assert.ThrowsExactly<ArgumentException>(() => DataSourceResolver.Resolve(bed.SourceOptions() with { DataFolder = Path.Combine(bed.Root, "nope") }));
        StringAssert.Contains(e.Message, Path.Combine(bed.Root, "nope"));
    }

    [TestMethod]
    public void WithNothingElseTheBuiltInSubsetIsUsedAtOnceAndTheMessageSaysWhy()
    {
        using var bed = new DownloadTestBed();
        var clock = Stopwatch.StartNew();

        var source = DataSourceResolver.Resolve(bed.SourceOptions());

        Assert.IsLessThan(1.0, clock.Elapsed.TotalSeconds);
        Assert.AreEqual((DataSourceKind.BuiltIn, bed.BuiltIn, false), (source.Kind, source.Root, source.HasOfficialTestSet));
        StringAssert.StartsWith(source.Message, $"No --data, and no complete download in '{bed.Cache.Folder}' ('TrafficSigns.Experiments download' gets the official GTSRB).");
        StringAssert.Contains(source.Message, "Using the built-in subset");
        Assert.IsEmpty(bed.Server.Requests, "the resolver never downloads");
    }

    [TestMethod]
    public void WithoutTheBuiltInSubsetTheErrorNamesEveryStep()
    {
        using var bed = new DownloadTestBed();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            DataSourceResolver.Resolve(bed.SourceOptions() with { BuiltInFolder = Path.Combine(bed.Root, "absent") }));
        StringAssert.Contains(e.Message, "no complete download in");
        StringAssert.Contains(e.Message, "is missing too: pass --data");
    }

    [TestMethod]
    public void TheDownloadCommandToAClosedPortFailsWithinSecondsAndSaysWhy()
    {
        using var bed = new DownloadTestBed();
        using var run = new ExperimentsProcess();
        var url = LoopbackHttpServer.ClosedPortUrl();
        var clock = Stopwatch.StartNew();

        var (code, log) = run.Run("download", "--cache", bed.Options.CacheFolder, "--download-url", url.ToString());

        TestContext.WriteLine(log);
        Assert.AreEqual(1, code, log);
        Assert.IsLessThan(20.0, clock.Elapsed.TotalSeconds, "within seconds (the process start included), without retries");
        StringAssert.Contains(log, $"{url.GetLeftPart(UriPartial.Authority)} could not be reached");
        Assert.IsFalse(bed.Cache.IsComplete);
    }

    [TestMethod]
    public void TheDownloadCommandChecksTheOfficialChecksumsAndSaysWhichArchiveFailed()
    {
        using var bed = new DownloadTestBed();
        using var run = new ExperimentsProcess();

        // The loopback server holds tiny archives in the official layout: the command checks them against the official MD5s.
        var (code, log) = run.Run("download", "--cache", bed.Options.CacheFolder, "--download-url", bed.Server.BaseUrl.ToString());

        TestContext.WriteLine(log);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"GTSRB_Final_Training_Images.zip from {bed.Server.BaseUrl}GTSRB_Final_Training_Images.zip has MD5");
        StringAssert.Contains(log, "expected f33fd80ac59bff73c82d25ab499e03a3");
        Assert.IsFalse(bed.Cache.IsComplete, "nothing half-done is taken for the data set");
    }

    [TestMethod]
    public void AServerThatNeverAnswersFailsAfterTheResponseTimeout()
    {
        using var bed = new DownloadTestBed();
        // Accepts connections (the kernel completes the handshake) and never answers.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var url = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/gtsrb/");
            bed.Options = bed.Options with { BaseUrl = url, ResponseTimeout = TimeSpan.FromSeconds(1) };
            var clock = Stopwatch.StartNew();

            var e = Assert.ThrowsExactly<NetworkUnavailableException>(() => bed.Download());

            Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds);
            StringAssert.Contains(e.Message, "could not be reached: no answer within 1 s");
        }
        finally
        {
            silent.Stop();
        }
    }

    [TestMethod]
    public void AConnectionThatNeverCompletesFailsAfterTheConnectTimeout()
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
            bed.Options = bed.Options with { BaseUrl = url, ConnectTimeout = TimeSpan.FromSeconds(1), ResponseTimeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();

            var e = Assert.ThrowsExactly<NetworkUnavailableException>(() => bed.Download());

            Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds, "the connect timeout, not the 30 s response timeout");
            StringAssert.Contains(e.Message, "could not be reached: no connection within 1 s");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }
}
