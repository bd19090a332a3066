using TrafficSigns.Experiments.Download;

namespace TrafficSigns.Experiments.Tests.Download;

[TestClass]
public sealed class DataSourceOptionsTests
{
    [TestMethod]
    public void DefaultsAreTheOfficialArchiveAndThePerUserCache()
    {
        var options = DataSourceOptions.From(null, cache: null, downloadUrl: null);

        Assert.IsNull(options.DataFolder);
        Assert.AreEqual(Path.Combine("..", "shared", "data", "gtsrb"), options.SharedFolder);
        Assert.AreEqual(new Uri("https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/"), options.Download.BaseUrl);
        Assert.AreEqual(UserCacheFolder.Gtsrb(), options.Download.CacheFolder);
        Assert.AreSame(GtsrbArchiveSet.Official, options.Download.Archives);
        Assert.AreEqual(TimeSpan.FromSeconds(5), options.Download.ConnectTimeout);
    }

    [TestMethod]
    public void TheOfficialArchivesCarryTheirPublishedChecksumsAndCounts()
    {
        var official = GtsrbArchiveSet.Official;
        CollectionAssert.AreEqual(
            new[]
            {
                ("GTSRB_Final_Training_Images.zip", "f33fd80ac59bff73c82d25ab499e03a3"),
                ("GTSRB_Final_Test_Images.zip", "c7e4e6327067d32654124b0fe9e82185"),
                ("GTSRB_Final_Test_GT.zip", "fe31e9c9270bbcd7b84b7f21a9d9d9e5"),
            },
            official.All.Select(a => (a.FileName, a.Md5)).ToArray());
        Assert.AreEqual((39_209, 12_630), (official.TrainingImageCount, official.TestImageCount));
    }

    [TestMethod]
    public void TheCommandLinesDataOptionsAreRead()
    {
        var options = DataSourceOptions.From("/d", cache: "/c", downloadUrl: "http://127.0.0.1:9/mirror");

        Assert.AreEqual("/d", options.DataFolder);
        Assert.AreEqual("/c", options.Download.CacheFolder);
        Assert.AreEqual("http://127.0.0.1:9/mirror/", options.Download.BaseUrl.ToString(), "a final '/' is added so the file name is appended");
        Assert.AreEqual("http://127.0.0.1:9/mirror/GTSRB_Final_Test_GT.zip", new Uri(options.Download.BaseUrl, "GTSRB_Final_Test_GT.zip").ToString());
    }

    [TestMethod]
    [DataRow("ftp://example.org/gtsrb/")]
    [DataRow("not a url")]
    [DataRow("/relative/path")]
    public void ADownloadUrlThatIsNotHttpIsRejected(string url)
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => DataSourceOptions.From(null, cache: null, downloadUrl: url));
        StringAssert.Contains(e.Message, "--download-url expects the http(s) base URL");
        StringAssert.Contains(e.Message, url);
    }

    [TestMethod]
    public void TheCacheFollowsXdgCacheHomeOnLinux()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Inconclusive("XDG_CACHE_HOME is the Linux rule; Windows uses %LOCALAPPDATA%, macOS ~/Library/Caches.");
        string? saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg-cache-test");
            Assert.AreEqual("/tmp/xdg-cache-test/mllinearized/gtsrb", UserCacheFolder.Gtsrb());
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "relative/ignored");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.AreEqual(Path.Combine(home, ".cache", "mllinearized", "gtsrb"), UserCacheFolder.Gtsrb());
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }
}
