using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers.Data;
using Ml.Trainers.Tests.Support;

namespace Ml.Trainers.Tests.Data;

[TestClass]
public sealed class ImageFolderTests
{
    /// <summary>
    /// root/cat: the six formats; root/dog/nested/deeper: the same six; plus everything a real folder collects: a hidden
    /// file and folder, non-images, an image in the root, an empty label folder, a damaged image.
    /// </summary>
    private static TempDirectory Messy()
    {
        var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "cat"));
        FormatFixtures.CopyAll(Path.Combine(root.Path, "dog", "nested", "deeper"), "d-");
        File.Copy(Path.Combine(FormatFixtures.Folder, "gray.png"), Path.Combine(root.Path, "loose.png"));
        root.Write("notes.txt", "labels are folder names");
        root.Write(Path.Combine("cat", ".DS_Store"), "finder");
        root.Write(Path.Combine("cat", "Thumbs.db"), "windows");
        root.Write(Path.Combine("dog", "README"), "no extension");
        File.Copy(Path.Combine(FormatFixtures.Folder, "gray.png"), Path.Combine(root.Path, ".cache-folder-image.png"));
        Directory.CreateDirectory(Path.Combine(root.Path, ".ipynb_checkpoints"));
        File.Copy(Path.Combine(FormatFixtures.Folder, "gray.png"), Path.Combine(root.Path, ".ipynb_checkpoints", "x.png"));
        Directory.CreateDirectory(Path.Combine(root.Path, "empty"));
        root.Write(Path.Combine("dog", "broken.png"), "this is not a picture");
        root.Write(Path.Combine("dog", "zero.jpg"), []);
        return root;
    }

    [TestMethod]
    public void ReadsEveryFormatAtAnyDepthAndSaysWhatItSkippedAndWhy()
    {
        using var root = Messy();
        var folder = ImageFolder.Read(root.Path);

        CollectionAssert.AreEqual(new[] { "cat", "dog" }, folder.Labels.ToArray());
        Assert.AreEqual(6, folder.ImageCounts["cat"]);
        Assert.AreEqual(6, folder.ImageCounts["dog"]);
        Assert.HasCount(12, folder.Images);
        foreach (var image in folder.Images)
        {
            var name = Path.GetFileName(image.Path).Replace("d-", "", StringComparison.Ordinal);
            Assert.AreEqual(FormatFixtures.Files[name], (image.Width, image.Height), name);
            Assert.IsTrue(Path.IsPathFullyQualified(image.Path));
        }
        Assert.IsTrue(folder.Images.Where(i => i.Label == "dog").All(i => i.Path.Contains(Path.Combine("nested", "deeper"), StringComparison.Ordinal)));

        var byKind = folder.Skipped.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Select(s => Path.GetFileName(s.Path)).Order(StringComparer.Ordinal).ToArray());
        CollectionAssert.AreEqual(new[] { ".DS_Store", ".cache-folder-image.png", ".ipynb_checkpoints" }, byKind[SkipKind.Hidden]);
        CollectionAssert.AreEqual(new[] { "README", "Thumbs.db", "notes.txt" }, byKind[SkipKind.NotAnImage]);
        CollectionAssert.AreEqual(new[] { "loose.png" }, byKind[SkipKind.NoLabelFolder]);
        CollectionAssert.AreEqual(new[] { "empty" }, byKind[SkipKind.EmptyLabelFolder]);
        CollectionAssert.AreEqual(new[] { "broken.png", "zero.jpg" }, byKind[SkipKind.Unreadable]);
        var broken = folder.Skipped.Single(s => s.Path.EndsWith("broken.png", StringComparison.Ordinal));
        StringAssert.Contains(broken.Reason, "its 21 bytes are not a PNG, JPEG, BMP, GIF or WebP image");
        StringAssert.Contains(folder.Skipped.Single(s => s.Path.EndsWith("zero.jpg", StringComparison.Ordinal)).Reason, "it is empty");
        Assert.AreEqual("12 images in 2 labels; skipped 10: 3 hidden, 3 not an image, 1 not in a label folder, 2 could not be decoded, 1 empty label folder(s)", folder.Summary);
    }

    [TestMethod]
    public void ReadingTheSameFolderTwiceGivesTheSameRowsInOrdinalOrder()
    {
        using var root = Messy();
        var first = ImageFolder.Read(root.Path).Images;
        var second = ImageFolder.Read(root.Path).Images;
        CollectionAssert.AreEqual(first.ToList(), second.ToList());
        var paths = first.Select(i => i.Label + "\n" + i.Path).ToList();
        CollectionAssert.AreEqual(paths.Order(StringComparer.Ordinal).ToList(), paths);
    }

    [TestMethod]
    public void TheDataViewLoadsEveryFormatAsRgbThroughMlNet()
    {
        using var root = Messy();
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromImageFolder(root.Path);
        Assert.AreEqual(12L, data.GetRowCount());
        CollectionAssert.AreEqual(new[] { "cat", "cat", "cat", "cat", "cat", "cat", "dog", "dog", "dog", "dog", "dog", "dog" },
            data.GetColumn<string>("Label").ToArray());
        var pixels = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Small", 8, 8, "Image", Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Small", interleavePixelColors: false, scaleImage: 1f / 255))
            .Fit(data).Transform(data);
        var paths = data.GetColumn<string>("ImagePath").ToList();
        var rows = pixels.GetColumn<float[]>("Pixels").ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.HasCount(3 * 64, rows[i], paths[i]);
            // Row 3, column 5 (x ≈ 0.69, y ≈ 0.44 of the image) is inside the yellow disc, off the white diagonal, in every
            // file (grayscale: equal channels, bright).
            float r = rows[i][3 * 8 + 5], g = rows[i][64 + 3 * 8 + 5], b = rows[i][128 + 3 * 8 + 5];
            if (paths[i].EndsWith("gray.png", StringComparison.Ordinal))
                Assert.IsTrue(r == g && g == b && r > 0.6f, $"{paths[i]}: {r} {g} {b}");
            else
                Assert.IsTrue(r > 0.7f && g > 0.6f && b < 0.35f, $"{paths[i]}: {r} {g} {b}");
        }
        // The RGBA file's transparent left half reads black (SkiaSharp premultiplies alpha).
        int rgba = paths.FindIndex(p => p.EndsWith("rgba.png", StringComparison.Ordinal));
        Assert.AreEqual(0f, rows[rgba][3 * 8 + 0] + rows[rgba][64 + 3 * 8 + 0] + rows[rgba][128 + 3 * 8 + 0]);
    }

    [TestMethod]
    public void ColumnNamesFollowTheOptions()
    {
        using var root = Messy();
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromImageFolder(root.Path, new ImageFolderOptions { ImagePathColumnName = "File", LabelColumnName = "Species" });
        CollectionAssert.AreEqual(new[] { "File", "Species" }, data.Schema.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void OtherExtensionsAndNoDecodingWhenAsked()
    {
        using var root = Messy();
        var folder = ImageFolder.Read(root.Path, new ImageFolderOptions { Extensions = [".PNG"], Check = ImageCheck.None });
        // Without decoding, the damaged PNG is an image like the others and sizes are unknown.
        Assert.AreEqual(3, folder.ImageCounts["dog"], "gray, rgba and broken");
        Assert.IsTrue(folder.Images.All(i => i.Width == 0 && i.Height == 0));
        Assert.IsTrue(folder.Skipped.Any(s => s.Kind == SkipKind.NotAnImage && s.Path.EndsWith("photo.jpg", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ADamagedImageIsAnErrorNamingItWhenSkippingIsOff()
    {
        using var root = Messy();
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Read(root.Path, new ImageFolderOptions { SkipUnreadableImages = false }));
        StringAssert.Contains(e.Message, "2 image(s)");
        StringAssert.Contains(e.Message, Path.Combine(root.Path, "dog", "broken.png"));
        StringAssert.Contains(e.Message, "SkipUnreadableImages");
    }

    [TestMethod]
    public void AMissingFolderAFileAndAFolderWithoutLabelFoldersAreRefusedByName()
    {
        using var root = new TempDirectory();
        var missing = Path.Combine(root.Path, "no-such-folder");
        var e1 = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ImageFolder.Read(missing));
        StringAssert.Contains(e1.Message, $"'{missing}' does not exist");

        var file = root.Write("a-file.png", "x");
        StringAssert.Contains(Assert.ThrowsExactly<DirectoryNotFoundException>(() => ImageFolder.Read(file)).Message, "is a file, not a folder");

        var empty = Directory.CreateDirectory(Path.Combine(root.Path, "empty")).FullName;
        var e2 = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Read(empty));
        StringAssert.Contains(e2.Message, $"'{empty}' holds no images in label folders (it is empty)");

        var flat = Directory.CreateDirectory(Path.Combine(root.Path, "flat")).FullName;
        FormatFixtures.CopyAll(flat);
        Directory.CreateDirectory(Path.Combine(flat, "unused"));
        var e3 = Assert.ThrowsExactly<InvalidDataException>(() => ImageFolder.Read(flat));
        StringAssert.Contains(e3.Message, "found 1 label folder(s) without images, 6 image(s) directly in it (not in a label folder)");
        StringAssert.Contains(e3.Message, "one subfolder per label");
    }

    [TestMethod]
    public void FoldersWithOtherLabelsAreNamed()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        foreach (var label in new[] { "cat", "dog", "owl" })
            FormatFixtures.CopyAll(Path.Combine(a.Path, label));
        foreach (var label in new[] { "cat", "Dog", "owl" })
            FormatFixtures.CopyAll(Path.Combine(b.Path, label));
        var train = ImageFolder.Read(a.Path);
        train.EnsureSameLabels(ImageFolder.Read(a.Path));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => train.EnsureSameLabels(ImageFolder.Read(b.Path)));
        StringAssert.Contains(e.Message, "has label folder(s) that");
        StringAssert.Contains(e.Message, "'Dog'");
        StringAssert.Contains(e.Message, "lacks label folder(s) of");
        StringAssert.Contains(e.Message, "'dog'");
    }

    [TestMethod]
    public void OptionsThatCannotWorkAreRefused()
    {
        using var root = Messy();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ImageFolder.Read(root.Path, new ImageFolderOptions { Extensions = ["png"] })).Message, "with its dot");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ImageFolder.Read(root.Path, new ImageFolderOptions { Extensions = [] })).Message, "at least one");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ImageFolder.Read(root.Path, new ImageFolderOptions { LabelColumnName = "ImagePath" })).Message, "both 'ImagePath'");
    }
}
