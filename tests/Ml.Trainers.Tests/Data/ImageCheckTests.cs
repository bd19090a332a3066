using Ml.Trainers.Data;
using Ml.Transforms.Imaging;
using Ml.Trainers.Tests.Support;

namespace Ml.Trainers.Tests.Data;

/// <summary>
/// Issue 30, items 2 and 4: <see cref="ImageCheck.Header"/> reads each file's bytes and header only (so that images the
/// trainer decodes anyway are decoded once), with the sizes and hashes a full decode gives; every damaged file is caught
/// either there or by the strict decode the trainer does. Progress is reported while a folder is read, and a read can
/// be cancelled.
/// </summary>
[TestClass]
public sealed class ImageCheckTests
{
    [TestMethod]
    public void HeaderCheckGivesTheSizesAndHashesOfAFullDecode()
    {
        using var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "a"));
        FormatFixtures.CopyAll(Path.Combine(root.Path, "b"), "b-");

        var decoded = ImageFolder.Read(root.Path);
        var header = ImageFolder.Read(root.Path, new ImageFolderOptions { Check = ImageCheck.Header });

        CollectionAssert.AreEqual(decoded.Images.ToList(), header.Images.ToList(), "same rows, sizes and SHA-256");
        Assert.IsTrue(header.Images.All(i => i.Width > 0 && i.Sha256 is { Length: 64 }));
    }

    [TestMethod]
    public void EveryCutFileIsCaughtByTheHeaderCheckOrByTheStrictDecodeTheTrainerDoes()
    {
        using var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "intact"));
        var cut = new List<string>();
        foreach (var name in FormatFixtures.Files.Keys)
        {
            var bytes = File.ReadAllBytes(Path.Combine(FormatFixtures.Folder, name));
            foreach (int length in new[] { 0.1, 0.5, 0.9 }.Select(f => (int)(bytes.Length * f)).Append(bytes.Length - 1).Distinct())
                cut.Add(root.Write(Path.Combine("cut", $"{length}-{name}"), bytes[..length]));
        }

        var folder = ImageFolder.Read(root.Path, new ImageFolderOptions { Check = ImageCheck.Header });

        Assert.AreEqual(FormatFixtures.Files.Count, folder.ImageCounts["intact"]);
        var caughtByHeader = folder.Skipped.Where(s => s.Kind == SkipKind.Unreadable).Select(s => s.Path).ToHashSet();
        var passed = folder.Images.Where(i => i.Label == "cut").Select(i => i.Path).ToList();
        CollectionAssert.AreEquivalent(cut, caughtByHeader.Concat(passed).ToList(), "each cut file is either skipped or listed");
        foreach (var path in passed)
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFiles.Decode(path), path);
            StringAssert.Contains(e.Message, path);
        }
        // The end marker is read without decoding: a PNG or GIF cut before it is caught by the header check itself.
        Assert.IsTrue(cut.Where(p => p.EndsWith(".png", StringComparison.Ordinal) || p.EndsWith(".gif", StringComparison.Ordinal)).All(caughtByHeader.Contains),
            "listed: " + string.Join(", ", passed.Select(Path.GetFileName)));
        Assert.IsNotEmpty(passed, "a JPEG cut inside its pixel data passes a header check (the trainer's decode catches it)");
        Assert.IsTrue(folder.Images.All(i => i.Label != "intact" || i.Width > 0));
    }

    [TestMethod]
    public void ProgressGoesFromListingToCheckingAndEndsWithEveryFile()
    {
        using var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "a"));
        FormatFixtures.CopyAll(Path.Combine(root.Path, "b"), "b-");
        root.Write(Path.Combine("b", "broken.png"), "not a picture");
        var reports = new List<ImageFolderProgress>();

        ImageFolder.Read(root.Path, new ImageFolderOptions { Progress = p => { lock (reports) reports.Add(p); } });

        var listing = reports.Where(p => p.Total is null).ToList();
        var checking = reports.Where(p => p.Total is not null).ToList();
        Assert.IsNotEmpty(listing);
        Assert.AreEqual(13, listing[^1].Files, "13 image files listed (the broken one too)");
        Assert.IsNotEmpty(checking);
        Assert.IsTrue(reports.IndexOf(listing[^1]) < reports.IndexOf(checking[0]), "listing, then checking");
        Assert.AreEqual(new ImageFolderProgress(13, 13, checking[^1].Elapsed) { FilesPerSecond = checking[^1].FilesPerSecond }, checking[^1]);
        Assert.IsTrue(checking[^1].FilesPerSecond > 0);
        Assert.IsTrue(reports.Zip(reports.Skip(1)).All(p => p.First.Elapsed <= p.Second.Elapsed), "in time order");
    }

    [TestMethod]
    public void CancellingWhileTheFolderIsReadStopsIt()
    {
        using var root = new TempDirectory();
        for (int i = 0; i < 20; i++)
            FormatFixtures.CopyAll(Path.Combine(root.Path, $"label{i % 2}"), $"{i}-");
        using var cancellation = new CancellationTokenSource();
        int reports = 0;
        // Ctrl+C as the sample wires it: the token is cancelled while the read is under way (here at its first report,
        // the end of the listing), and the read stops with OperationCanceledException instead of checking the files.
        var options = new ImageFolderOptions
        {
            Progress = p =>
            {
                reports++;
                cancellation.Cancel();
            },
        };

        Assert.ThrowsExactly<OperationCanceledException>(() => ImageFolder.Read(root.Path, options, cancellation.Token));
        Assert.AreEqual(1, reports, "nothing was checked after the cancellation");
    }
}
