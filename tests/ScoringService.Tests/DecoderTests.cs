using Microsoft.ML.Data;
using ScoringService.Imaging;
using ScoringService.Tests.Support;

namespace ScoringService.Tests;

/// <summary>
/// The service decodes uploads to exactly the pixels ML.NET's LoadImages gets from the same file (so it scores what
/// offline scoring scores), but refuses what LoadImages would half-decode or blow up on.
/// </summary>
[TestClass]
public sealed class DecoderTests
{
    private const long Limit = 4096L * 4096;

    public static IEnumerable<object[]> Formats() =>
    [
        ["png", (Func<byte[]>)(() => ImageBytes.Png(GtsrbPng.Test[0]))],
        ["jpeg", (Func<byte[]>)(() => ImageBytes.Jpeg(GtsrbPng.Test[1]))],
        ["webp", (Func<byte[]>)(() => ImageBytes.Webp(GtsrbPng.Test[2]))],
        ["bmp", (Func<byte[]>)(() => ImageBytes.Bmp(GtsrbPng.Test[3]))],
        ["gif", (Func<byte[]>)ImageBytes.Gif],
        ["png", (Func<byte[]>)ImageBytes.TransparentPng],
        ["png", (Func<byte[]>)ImageBytes.GreyPng],
    ];

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void DecodesEveryAcceptedFormatToTheSamePixelsAsMlNet(string format, Func<byte[]> make)
    {
        byte[] bytes = make();
        Assert.IsTrue(StrictImageDecoder.TryDecode(bytes, "the test image", Limit, out var decoded, out var rejection), rejection?.Detail);
        using (decoded)
        using (var expected = MLImage.CreateFromStream(new MemoryStream(bytes)))
        {
            Assert.AreEqual(format, decoded.Format);
            Assert.AreEqual(expected.Width, decoded.Width);
            Assert.AreEqual(expected.Height, decoded.Height);
            Assert.AreEqual(expected.PixelFormat, decoded.Image.PixelFormat);
            CollectionAssert.AreEqual(expected.Pixels.ToArray(), decoded.Image.Pixels.ToArray(), "pixels differ from MLImage.CreateFromStream");
        }
    }

    [TestMethod]
    public void RefusesATruncatedJpegThatMlNetWouldHalfDecode()
    {
        byte[] truncated = ImageBytes.Truncated(ImageBytes.PhotoJpeg());
        using (var halfDecoded = MLImage.CreateFromStream(new MemoryStream(truncated)))
            Assert.IsTrue(halfDecoded.Width > 0, "SkiaSharp's lenient decode accepts the truncated file: the case this guards against");
        Assert.IsFalse(StrictImageDecoder.TryDecode(truncated, "the body", Limit, out _, out var rejection));
        Assert.AreEqual(400, rejection.Status);
        Assert.AreEqual("truncated-image", rejection.Code);
    }

    [TestMethod]
    public void RefusesATruncatedPng()
    {
        Assert.IsFalse(StrictImageDecoder.TryDecode(ImageBytes.Truncated(ImageBytes.Png(GtsrbPng.Test[0]), 0.7), "the body", Limit, out _, out var rejection));
        Assert.AreEqual(400, rejection.Status);
        StringAssert.Contains(rejection.Detail, "png");
    }

    [TestMethod]
    public void RefusesADecompressionBombFromItsHeaderWithoutDecodingIt()
    {
        byte[] bomb = ImageBytes.PngBomb();
        Assert.IsLessThan(100_000, bomb.Length, "the bomb is small on the wire");
        Assert.IsFalse(StrictImageDecoder.TryDecode(bomb, "the body", Limit, out _, out var rejection));
        // "too-many-pixels" is decided from the header, before any pixel memory is allocated (1.6 GB as RGBA here).
        Assert.AreEqual(413, rejection.Status);
        Assert.AreEqual("too-many-pixels", rejection.Code);
        StringAssert.Contains(rejection.Detail, "20000 × 20000");
    }

    [TestMethod]
    public void SaysWhatIsWrongWithBytesThatAreNoImage()
    {
        Assert.IsFalse(StrictImageDecoder.TryDecode(ImageBytes.Random(), "the body", Limit, out _, out var random));
        Assert.AreEqual(415, random.Status);
        Assert.IsFalse(StrictImageDecoder.TryDecode("just some notes\n"u8.ToArray(), "file 'notes.txt'", Limit, out _, out var text));
        Assert.AreEqual(415, text.Status);
        StringAssert.Contains(text.Detail, "looks like text");
        Assert.IsFalse(StrictImageDecoder.TryDecode([], "the body", Limit, out _, out var empty));
        Assert.AreEqual(400, empty.Status);
        Assert.AreEqual("empty-image", empty.Code);
        Assert.IsFalse(StrictImageDecoder.TryDecode(ImageBytes.Png(GtsrbPng.Test[0]).AsSpan(0, 20), "the body", Limit, out _, out var header));
        Assert.AreEqual(400, header.Status, header.Detail);
    }
}
