using System.Buffers.Binary;
using Microsoft.ML.Data;
using Ml.Trainers.Data;
using Ml.Trainers.Tests.Support;

namespace Ml.Trainers.Tests.Data;

/// <summary>
/// Issue 29, item 2: a damaged image is skipped and named, never half-decoded. Every fixture format is cut at several
/// points and has bytes flipped; the loader (ImageFolder.Read, through the library's one strict decoder) must leave out
/// each file the decoder or the format's end marker shows to be incomplete or damaged, and keep the intact ones.
/// </summary>
[TestClass]
public sealed class DamagedImageTests
{
    /// <summary>Fractions of each file kept: from a quarter to all but its last byte.</summary>
    private static readonly double[] Cuts = [0.25, 0.5, 0.75, 0.9];

    [TestMethod]
    public void EveryFormatCutAtSeveralPointsIsSkippedAndNamedAsTruncatedOrUndecodable()
    {
        using var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "intact"));
        var expected = new List<string>();
        foreach (var (name, _) in FormatFixtures.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(FormatFixtures.Folder, name));
            foreach (int length in Cuts.Select(f => (int)(bytes.Length * f)).Append(bytes.Length - 1).Distinct())
                expected.Add(root.Write(Path.Combine("cut", $"{length}-{name}"), bytes[..length]));
        }

        var folder = ImageFolder.Read(root.Path);

        Assert.AreEqual(FormatFixtures.Files.Count, folder.ImageCounts["intact"], "the intact copies are all read");
        Assert.IsFalse(folder.ImageCounts.ContainsKey("cut"), "no cut file is read: " + string.Join(", ", folder.Images.Where(i => i.Label == "cut").Select(i => Path.GetFileName(i.Path))));
        var skipped = folder.Skipped.Where(s => s.Kind == SkipKind.Unreadable).ToDictionary(s => s.Path, s => s.Reason);
        CollectionAssert.AreEquivalent(expected, skipped.Keys.ToList());
        foreach (var (path, reason) in skipped)
        {
            StringAssert.Contains(reason, $"Image file '{path}' could not be decoded: ", path);
            // Most cuts are named as truncated; a cut inside a tiny file's header can leave bytes no decoder recognises.
            Assert.IsTrue(reason.Contains("truncated", StringComparison.Ordinal) || reason.Contains("are not a PNG, JPEG", StringComparison.Ordinal)
                || reason.Contains("could not decode it", StringComparison.Ordinal), reason);
        }
        // A cut after the last pixel row but before the end marker: only the marker shows it.
        StringAssert.Contains(skipped[expected.Single(p => Path.GetFileName(p) == "182-gray.png")], "stop before the PNG file's end marker");
        StringAssert.Contains(skipped[expected.Single(p => Path.GetFileName(p) == "548-palette.gif")], "stop before the GIF file's end marker");
        StringAssert.Contains(skipped[expected.Single(p => Path.GetFileName(p) == "677-photo.jpg")], "it is truncated: its 677 bytes end before the JPEG image data do");
    }

    [TestMethod]
    public void EveryFlippedByteInAPngsImageDataIsCaughtByItsChecksum()
    {
        using var root = new TempDirectory();
        FormatFixtures.CopyAll(Path.Combine(root.Path, "intact"));
        int flipped = 0;
        foreach (var name in new[] { "gray.png", "rgba.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(FormatFixtures.Folder, name));
            var (start, end) = IdatData(bytes);
            for (int i = start; i < end; i++)
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= 0xFF;
                root.Write(Path.Combine("flipped", $"{i}-{name}"), copy);
                flipped++;
            }
        }

        var folder = ImageFolder.Read(root.Path);

        Assert.IsFalse(folder.ImageCounts.ContainsKey("flipped"));
        var damaged = folder.Skipped.Where(s => s.Kind == SkipKind.Unreadable).ToList();
        Assert.HasCount(flipped, damaged);
        Assert.IsTrue(damaged.All(s => s.Reason.Contains("PNG image data are damaged", StringComparison.Ordinal)), damaged.First().Reason);
    }

    [TestMethod]
    public void FlippedHeaderBytesAreCaughtInEveryFormat()
    {
        using var root = new TempDirectory();
        // The first byte is each format's signature: no decoder takes the file for an image any more.
        foreach (var name in FormatFixtures.Files.Keys)
        {
            var bytes = File.ReadAllBytes(Path.Combine(FormatFixtures.Folder, name));
            bytes[0] ^= 0xFF;
            root.Write(Path.Combine("flipped", name), bytes);
        }
        FormatFixtures.CopyAll(Path.Combine(root.Path, "intact"));
        var folder = ImageFolder.Read(root.Path);
        var damaged = folder.Skipped.Where(s => s.Kind == SkipKind.Unreadable).Select(s => Path.GetFileName(s.Path)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(FormatFixtures.Files.Keys.Order(StringComparer.Ordinal).ToList(), damaged);
    }

    [TestMethod]
    public void TheStrictDecoderGivesMlNetsPixelsBitForBitForEveryIntactFormat()
    {
        foreach (var name in FormatFixtures.Files.Keys)
        {
            var path = Path.Combine(FormatFixtures.Folder, name);
            using var mlnet = MLImage.CreateFromFile(path);
            using var strict = Ml.Transforms.Imaging.ImageDecoder.Decode(path);
            Assert.AreEqual(mlnet.PixelFormat, strict.PixelFormat, name);
            Assert.AreEqual((mlnet.Width, mlnet.Height), (strict.Width, strict.Height), name);
            CollectionAssert.AreEqual(mlnet.Pixels.ToArray(), strict.Pixels.ToArray(), name);
        }
    }

    [TestMethod]
    public void MlNetsOwnDecoderHalfDecodesATruncatedJpegWhichIsWhyTheLoaderChecksFirst()
    {
        // The behaviour the strict decoder guards against, measured: ML.NET's MLImage accepts a JPEG cut in half.
        using var root = new TempDirectory();
        var bytes = File.ReadAllBytes(Path.Combine(FormatFixtures.Folder, "photo.jpg"));
        var cut = root.Write("half.jpg", bytes[..(bytes.Length / 2)]);
        using (var half = MLImage.CreateFromFile(cut))
            Assert.AreEqual((40, 28), (half.Width, half.Height));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Transforms.Imaging.ImageDecoder.Decode(cut));
        StringAssert.Contains(e.Message, $"Image file '{cut}' could not be decoded: it is truncated");
    }

    /// <summary>Where the bytes of a PNG's IDAT chunks are: [start, end) of the first one's data and CRC.</summary>
    private static (int Start, int End) IdatData(byte[] png)
    {
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
                return (at + 8, at + 8 + length + 4);
            at += 12 + length;
        }
        throw new InvalidDataException("no IDAT chunk");
    }
}
