using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Download;

namespace TrafficSigns.Experiments.Tests.Download;

/// <summary>
/// The official-archive download against a loopback server holding tiny archives in the official layout: download,
/// checksum, interruption and resume, and atomic unpacking. No test reaches beyond 127.0.0.1.
/// </summary>
[TestClass]
public sealed class GtsrbDownloaderTests
{
    private static readonly string TrainingZip = GtsrbArchiveSet.Official.Training.FileName;
    private static readonly string TestImagesZip = GtsrbArchiveSet.Official.TestImages.FileName;
    private static readonly string TestLabelsZip = GtsrbArchiveSet.Official.TestLabels.FileName;

    [TestMethod]
    public void DownloadsChecksAndUnpacksTheThreeArchivesIntoTheCache()
    {
        using var bed = new DownloadTestBed();

        string folder = bed.Download();

        Assert.AreEqual(bed.Cache.DataFolder, folder);
        var training = GtsrbReader.ReadTraining(folder);
        Assert.HasCount(OfficialLayoutArchives.TrainingImages, training);
        CollectionAssert.AreEqual(new[] { 0, 1 }, training.Select(s => s.ClassId).Distinct().ToArray());
        var test = GtsrbTestReader.Read(folder);
        CollectionAssert.AreEqual(Enumerable.Range(0, 4).Select(OfficialLayoutArchives.TestClass).ToArray(), test.Select(s => s.ClassId).ToArray());
        CollectionAssert.AreEqual(OfficialLayoutArchives.Ppm(1, 2), File.ReadAllBytes(test[1].ImagePath), "unpacked byte for byte");
        StringAssert.Contains(File.ReadAllText(Path.Combine(folder, GtsrbCache.ManifestName)), bed.Archives.Describe().Training.Md5!);
        // Nothing else is left: no archive, no partial download, no unpacking folder.
        Assert.IsEmpty(bed.CacheContents().Where(p => !p.StartsWith("gtsrb-final", StringComparison.Ordinal) && p != "archives").ToArray(),
            string.Join(", ", bed.CacheContents()));
        // Each archive was fetched once, whole, and its progress reached its size.
        CollectionAssert.AreEqual(new[] { (TrainingZip, 0L), (TestImagesZip, 0L), (TestLabelsZip, 0L) }, bed.Server.Requests.ToArray());
        Assert.AreEqual(new DownloadProgress(TrainingZip, bed.Archives.Training.Length, bed.Archives.Training.Length), bed.Display.Last(TrainingZip));
        Assert.AreEqual(bed.Display.Last("unpacking " + TrainingZip).TotalBytes, bed.Display.Last("unpacking " + TrainingZip).Bytes);
    }

    [TestMethod]
    public void AChecksumMismatchIsAClearErrorAndLeavesNothingHalfDone()
    {
        using var bed = new DownloadTestBed();
        const string wrong = "0123456789abcdef0123456789abcdef";
        var archives = bed.Options.Archives;
        bed.Options = bed.Options with { Archives = archives with { TestImages = archives.TestImages with { Md5 = wrong } } };

        var e = Assert.ThrowsExactly<InvalidDataException>(bed.Download);

        StringAssert.Contains(e.Message, TestImagesZip);
        StringAssert.Contains(e.Message, $"has MD5 {OfficialLayoutArchives.Md5(bed.Archives.TestImages)}, expected {wrong}");
        StringAssert.Contains(e.Message, "The download was deleted");
        Assert.IsFalse(bed.Cache.IsComplete);
        // The training archive passed its check and is kept; of the bad one nothing remains, and nothing was unpacked.
        CollectionAssert.AreEqual(new[] { "archives", $"archives/{TrainingZip}" }, bed.CacheContents());
        Assert.AreEqual(1, bed.Server.RequestCount(TestImagesZip), "a fresh download with a wrong checksum is not retried");
    }

    [TestMethod]
    public void AnInterruptedDownloadResumesWhereItStopped()
    {
        using var bed = new DownloadTestBed();
        int cut = bed.Archives.Training.Length / 3;
        bed.Server.CutNextBody(TrainingZip, cut);

        bed.Download();

        Assert.IsTrue(bed.Cache.IsComplete);
        CollectionAssert.AreEqual(new[] { (TrainingZip, 0L), (TrainingZip, (long)cut) },
            bed.Server.Requests.Where(r => r.File == TrainingZip).ToArray(), "the second request asks for the rest only");
        Assert.HasCount(OfficialLayoutArchives.TrainingImages, GtsrbReader.ReadTraining(bed.Cache.DataFolder));
    }

    [TestMethod]
    public void AServerWithoutRangeSupportIsRetriedCleanlyFromTheStart()
    {
        using var bed = new DownloadTestBed();
        bed.Server.SupportsRange = false;
        bed.Server.CutNextBody(TrainingZip, bed.Archives.Training.Length / 2);

        bed.Download();

        Assert.IsTrue(bed.Cache.IsComplete);
        Assert.AreEqual(2, bed.Server.RequestCount(TrainingZip));
        Assert.HasCount(OfficialLayoutArchives.TrainingImages, GtsrbReader.ReadTraining(bed.Cache.DataFolder));
    }

    [TestMethod]
    public void AStalledTransferTimesOutAndIsResumed()
    {
        using var bed = new DownloadTestBed();
        bed.Options = bed.Options with { ResponseTimeout = TimeSpan.FromSeconds(1) };
        int stall = bed.Archives.TestImages.Length / 2;
        bed.Server.StallNextBody(TestImagesZip, stall);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        bed.Download();

        Assert.IsTrue(bed.Cache.IsComplete);
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds, "one 1 s stall, then the rest");
        CollectionAssert.AreEqual(new[] { (TestImagesZip, 0L), (TestImagesZip, (long)stall) },
            bed.Server.Requests.Where(r => r.File == TestImagesZip).ToArray());
    }

    [TestMethod]
    public void APartialFileFromAnEarlierRunIsResumed()
    {
        using var bed = new DownloadTestBed();
        int kept = bed.Archives.Training.Length - 100;
        Directory.CreateDirectory(bed.Cache.ArchivesFolder);
        File.WriteAllBytes(bed.Cache.PartialPath(bed.Options.Archives.Training), bed.Archives.Training[..kept]);

        bed.Download();

        Assert.IsTrue(bed.Cache.IsComplete);
        CollectionAssert.AreEqual(new[] { (TrainingZip, (long)kept) }, bed.Server.Requests.Where(r => r.File == TrainingZip).ToArray());
    }

    [TestMethod]
    public void APartialFileOfAnotherVersionIsDiscardedAndDownloadedAfresh()
    {
        using var bed = new DownloadTestBed();
        Directory.CreateDirectory(bed.Cache.ArchivesFolder);
        File.WriteAllBytes(bed.Cache.PartialPath(bed.Options.Archives.Training), new byte[1000]);

        bed.Download();

        Assert.IsTrue(bed.Cache.IsComplete);
        CollectionAssert.AreEqual(new[] { (TrainingZip, 1000L), (TrainingZip, 0L) }, bed.Server.Requests.Where(r => r.File == TrainingZip).ToArray(),
            "resumed, failed the MD5 check, then downloaded whole");
    }

    [TestMethod]
    public void AWrongUrlIsNamedWithTheServersAnswerAndNotRetried()
    {
        using var bed = new DownloadTestBed();
        bed.Server.Files.TryRemove(TestLabelsZip, out _);

        var e = Assert.ThrowsExactly<HttpRequestException>(bed.Download);

        StringAssert.Contains(e.Message, "404");
        StringAssert.Contains(e.Message, TestLabelsZip);
        StringAssert.Contains(e.Message, "--download-url");
        Assert.AreEqual(1, bed.Server.RequestCount(TestLabelsZip));
        Assert.IsFalse(bed.Cache.IsComplete);
    }

    [TestMethod]
    public void AnEntryLeavingTheTargetFolderIsRefusedAndNothingIsUnpacked()
    {
        using var bed = new DownloadTestBed();
        var evil = OfficialLayoutArchives.Zip([("GTSRB/Final_Training/Images/00000/ok.txt", [1]), ("../../escaped.txt", [2])]);
        bed.Server.Files[TrainingZip] = evil;
        bed.Options = bed.Options with { Archives = bed.Options.Archives with { Training = bed.Options.Archives.Training with { Md5 = OfficialLayoutArchives.Md5(evil) } } };

        var e = Assert.ThrowsExactly<InvalidDataException>(bed.Download);

        StringAssert.Contains(e.Message, "'../../escaped.txt' would unpack outside");
        Assert.IsFalse(File.Exists(Path.Combine(bed.Root, "escaped.txt")));
        Assert.IsFalse(File.Exists(Path.Combine(bed.Options.CacheFolder, "escaped.txt")));
        Assert.IsFalse(bed.CacheContents().Any(p => p.StartsWith(".unpack-", StringComparison.Ordinal) || p.StartsWith("gtsrb-final", StringComparison.Ordinal)),
            string.Join(", ", bed.CacheContents()));
    }

    [TestMethod]
    public void ArchivesThatDoNotHoldTheExpectedImagesAreNotTakenForTheDataSet()
    {
        using var bed = new DownloadTestBed();
        bed.Options = bed.Options with { Archives = bed.Options.Archives with { TrainingImageCount = OfficialLayoutArchives.TrainingImages + 1 } };

        var e = Assert.ThrowsExactly<InvalidDataException>(bed.Download);

        StringAssert.Contains(e.Message, $"found {OfficialLayoutArchives.TrainingImages} training images (rows of GT-000NN.csv), expected {OfficialLayoutArchives.TrainingImages + 1}");
        Assert.IsFalse(bed.Cache.IsComplete);
        Assert.IsFalse(Directory.Exists(bed.Cache.DataFolder));
        Assert.IsFalse(bed.CacheContents().Any(p => p.StartsWith(".unpack-", StringComparison.Ordinal)), string.Join(", ", bed.CacheContents()));
        // The checked archives stay, so fixing the expectation needs no second download.
        Assert.HasCount(3, Directory.GetFiles(bed.Cache.ArchivesFolder, "*.zip"));
    }

    [TestMethod]
    public void LeftoversOfACrashedRunAreNeverTakenForTheDataSet()
    {
        using var bed = new DownloadTestBed();
        // A crash mid-unpack leaves an .unpack-* folder; a data folder without the manifest (written last) is not ours.
        string abandoned = Path.Combine(bed.Cache.Folder, ".unpack-0123");
        bed.Archives.UnpackInto(abandoned);
        Directory.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-2));
        bed.Archives.UnpackInto(bed.Cache.DataFolder);
        Assert.IsFalse(bed.Cache.IsComplete);

        bed.Download();

        Assert.IsTrue(bed.Cache.IsComplete);
        Assert.AreEqual(3, bed.Server.Requests.Count, "downloaded and unpacked again");
        Assert.IsFalse(Directory.Exists(abandoned), "the abandoned unpacking folder was removed");
    }
}
