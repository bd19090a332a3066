using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers.Data;
using Ml.Trainers.Tests.Support;

namespace Ml.Trainers.Tests.Data;

/// <summary>
/// Issue 29, item 1: an image folder reads exactly what is there, whatever its symbolic links — each real file one row,
/// each real folder read once, a loop reported and never expanded — and exact copies on both sides of a split are found.
/// </summary>
[TestClass]
public sealed class ImageFolderLinkTests
{
    [TestMethod]
    public void ALinkLoopInsideALabelFolderIsReportedNotExpanded()
    {
        // The sweep's case: cats/loop -> .. turned 40 images into 9,840 rows.
        using var root = TwoLabels();
        File.CreateSymbolicLink(Path.Combine(root.Path, "cat", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(root.Path, "dog", "self"), ".");
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "dog", "nested-up"), Path.Combine(root.Path, "dog"));

        var folder = ImageFolder.Read(root.Path);

        Assert.HasCount(12, folder.Images);
        Assert.AreEqual(12, folder.Images.Select(i => i.Path).Distinct().Count());
        var loops = folder.Skipped.Where(s => s.Kind == SkipKind.LinkLoop).Select(s => Path.GetFileName(s.Path)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(new[] { "loop", "nested-up", "self" }, loops);
        StringAssert.Contains(folder.Skipped.Single(s => s.Path.EndsWith("loop", StringComparison.Ordinal)).Reason, $"a symbolic link to '{root.Path}', a folder it is itself inside: a loop, not followed");
        StringAssert.Contains(folder.Summary, "3 link loop(s), not followed");
    }

    [TestMethod]
    public void ALabelFolderThatIsALinkIsReadOnceAndAFileReachedTwiceIsOneRowWithItsOwnLabel()
    {
        using var root = TwoLabels();
        using var elsewhere = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(elsewhere.Path, "owls"), "o-");
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "owl"), Path.Combine(elsewhere.Path, "owls"));      // a label folder kept elsewhere
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "owl-again"), Path.Combine(elsewhere.Path, "owls")); // the same folder twice
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "cat", "dogs-too"), Path.Combine(root.Path, "dog"));   // another label's folder
        File.CreateSymbolicLink(Path.Combine(root.Path, "dog", "a-cat.png"), Path.Combine(root.Path, "cat", "gray.png")); // another label's file

        var folder = ImageFolder.Read(root.Path);

        CollectionAssert.AreEqual(new[] { "cat", "dog", "owl" }, folder.Labels.ToArray());
        Assert.AreEqual(6, folder.ImageCounts["cat"]);
        Assert.AreEqual(6, folder.ImageCounts["dog"], "the dog folder is not also read as cat through cat/dogs-too");
        Assert.AreEqual(6, folder.ImageCounts["owl"]);
        Assert.AreEqual(18, folder.Images.Select(i => i.Path).Distinct().Count());
        var again = folder.Skipped.Where(s => s.Kind == SkipKind.ReadAlready).ToDictionary(s => Path.GetFileName(s.Path), s => s.Reason);
        CollectionAssert.AreEquivalent(new[] { "owl-again", "dogs-too", "a-cat.png" }, again.Keys.ToList());
        StringAssert.Contains(again["a-cat.png"], $"the same file as '{Path.Combine(root.Path, "cat", "gray.png")}', which is under label 'cat'");
        StringAssert.Contains(again["dogs-too"], $"read already as '{Path.Combine(root.Path, "dog")}'");
        Assert.IsFalse(folder.Skipped.Any(s => s.Kind == SkipKind.EmptyLabelFolder), "a label folder that is a link read already is not also 'empty'");
    }

    [TestMethod]
    public void WithoutFollowingLinksEveryLinkIsLeftOutAndListed()
    {
        using var root = TwoLabels();
        using var elsewhere = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(elsewhere.Path, "owls"));
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "owl"), Path.Combine(elsewhere.Path, "owls"));
        File.CreateSymbolicLink(Path.Combine(root.Path, "dog", "a-cat.png"), Path.Combine(root.Path, "cat", "gray.png"));

        var folder = ImageFolder.Read(root.Path, new ImageFolderOptions { FollowSymbolicLinks = false });

        CollectionAssert.AreEqual(new[] { "cat", "dog" }, folder.Labels.ToArray());
        Assert.HasCount(12, folder.Images);
        CollectionAssert.AreEquivalent(new[] { "owl", "a-cat.png" }, folder.Skipped.Where(s => s.Kind == SkipKind.SymbolicLink).Select(s => Path.GetFileName(s.Path)).ToList());
    }

    [TestMethod]
    public void ABrokenLinkAndLinksThatPointAtEachOtherAreUnreadableByName()
    {
        using var root = TwoLabels();
        File.CreateSymbolicLink(Path.Combine(root.Path, "cat", "gone.png"), Path.Combine(root.Path, "nowhere.png"));
        File.CreateSymbolicLink(Path.Combine(root.Path, "dog", "a.png"), Path.Combine(root.Path, "dog", "b.png"));
        File.CreateSymbolicLink(Path.Combine(root.Path, "dog", "b.png"), Path.Combine(root.Path, "dog", "a.png"));

        var folder = ImageFolder.Read(root.Path);

        Assert.HasCount(12, folder.Images);
        var unreadable = folder.Skipped.Where(s => s.Kind == SkipKind.Unreadable).ToDictionary(s => Path.GetFileName(s.Path), s => s.Reason);
        CollectionAssert.AreEquivalent(new[] { "gone.png", "a.png", "b.png" }, unreadable.Keys.ToList());
        StringAssert.Contains(unreadable["gone.png"], "which does not exist");
        StringAssert.Contains(unreadable["a.png"], "more than 40 symbolic links");
    }

    [TestMethod]
    public void ExactCopiesOnBothSidesOfASplitAreNamed()
    {
        using var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "cat"));
        for (int i = 0; i < 6; i++)
            DistinctPng(Path.Combine(root.Path, "dog", $"{i}.png"), i);
        // Two byte-for-byte copies of one cat image under other names.
        File.Copy(Path.Combine(root.Path, "cat", "photo.jpg"), Path.Combine(root.Path, "cat", "photo-copy.jpg"));
        File.Copy(Path.Combine(root.Path, "cat", "photo.jpg"), Path.Combine(root.Path, "cat", "photo-copy-2.jpg"));
        var folder = ImageFolder.Read(root.Path);
        var ml = new MLContext(seed: 0);
        var data = folder.ToDataView(ml);
        var byPath = folder.Images.ToDictionary(i => i.Path);

        // Every seed that puts the copies on both sides is reported, with exactly the paths on each side.
        int reported = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var split = ml.Data.StratifiedSplit(data, validationFraction: 0, testFraction: 0.3, seed: seed);
            var train = split.Train.GetColumn<string>("ImagePath").ToHashSet();
            var test = split.Test.GetColumn<string>("ImagePath").ToHashSet();
            var copies = new[] { "photo.jpg", "photo-copy.jpg", "photo-copy-2.jpg" }.Select(n => Path.Combine(root.Path, "cat", n)).ToList();
            var duplicates = folder.Duplicates(split.Train, split.Test);
            if (copies.Any(train.Contains) && copies.Any(test.Contains))
            {
                reported++;
                var d = duplicates.Single();
                Assert.AreEqual(byPath[copies[0]].Sha256, d.Sha256);
                CollectionAssert.AreEqual(copies.Where(train.Contains).Order(StringComparer.Ordinal).ToList(), d.First.ToList());
                CollectionAssert.AreEqual(copies.Where(test.Contains).Order(StringComparer.Ordinal).ToList(), d.Second.ToList());
            }
            else
                Assert.IsEmpty(duplicates, $"seed {seed}");
        }
        Assert.IsGreaterThan(0, reported, "some seed splits the copies");
        Assert.IsEmpty(ImageFolder.Duplicates(folder.Images.Where(i => i.Label == "dog"), folder.Images.Where(i => i.Label == "cat")));
    }

    [TestMethod]
    public void TwoFoldersShareExactCopies()
    {
        using var train = TwoLabels();
        using var test = TwoLabels();
        var duplicates = ImageFolder.Duplicates(ImageFolder.Read(train.Path).Images, ImageFolder.Read(test.Path).Images);
        // cat and dog hold the same six fixtures: each content is twice on each side.
        Assert.HasCount(6, duplicates);
        Assert.IsTrue(duplicates.All(d => d.First.Count == 2 && d.Second.Count == 2));
    }

    /// <summary>A 12×12 PNG of seeded random pixels: different bytes for each seed.</summary>
    private static void DistinctPng(string path, int seed)
    {
        var random = new Random(seed);
        var rgba = new byte[12 * 12 * 4];
        random.NextBytes(rgba);
        for (int i = 3; i < rgba.Length; i += 4)
            rgba[i] = 255;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = MLImage.CreateFromPixels(12, 12, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }

    private static TempDirectory TwoLabels()
    {
        var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "cat"));
        FormatFixtures.CopyAll(Path.Combine(root.Path, "dog"));
        return root;
    }
}
