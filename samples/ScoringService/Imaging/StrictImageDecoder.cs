using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.ML.Data;
using SkiaSharp;

namespace ScoringService.Imaging;

/// <summary>
/// Decodes an uploaded image to the same pixels ML.NET's <c>LoadImages</c> gives for the same file (its
/// <c>MLImage.CreateFromFile</c> is SkiaSharp's <c>SKBitmap.Decode</c>), but strictly: the format must be PNG, JPEG,
/// BMP, GIF or WebP; the header's width × height is checked against a pixel limit BEFORE any pixel memory is allocated
/// (a few-KB PNG can claim 20,000 × 20,000 pixels); and an image whose data end early is refused instead of being
/// half-decoded (SkiaSharp's <c>SKBitmap.Decode</c> accepts <c>IncompleteInput</c> and fills the rest).
/// </summary>
public static class StrictImageDecoder
{
    /// <summary>The formats accepted, as SkiaSharp names them, with the names used in messages.</summary>
    private static readonly Dictionary<SKEncodedImageFormat, string> Accepted = new()
    {
        [SKEncodedImageFormat.Png] = "png",
        [SKEncodedImageFormat.Jpeg] = "jpeg",
        [SKEncodedImageFormat.Bmp] = "bmp",
        [SKEncodedImageFormat.Gif] = "gif",
        [SKEncodedImageFormat.Webp] = "webp",
    };

    /// <summary>The accepted formats in words, for messages.</summary>
    public const string AcceptedFormats = "PNG, JPEG, BMP, GIF or WebP";

    /// <summary>
    /// Decodes <paramref name="bytes"/>; on failure says why in <paramref name="rejection"/> (400: empty, damaged or
    /// truncated; 413: too many pixels; 415: not an image in an accepted format).
    /// </summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="name">What the bytes are, for messages: "the request body", "file 'a.png'".</param>
    /// <param name="maxPixels">Most pixels (width × height) accepted.</param>
    /// <param name="image">The decoded image (dispose it).</param>
    /// <param name="rejection">Why the bytes were refused.</param>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, string name, long maxPixels,
        [NotNullWhen(true)] out DecodedImage? image, [NotNullWhen(false)] out ImageRejection? rejection)
    {
        image = null;
        if (bytes.IsEmpty)
        {
            rejection = new ImageRejection(400, "empty-image", "The image is empty.",
                $"{Capitalized(name)} is empty (0 bytes). Send the bytes of a {AcceptedFormats} image.");
            return false;
        }
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        string? signature = Signature(bytes);
        if (codec is null)
        {
            rejection = signature is not null
                ? new ImageRejection(400, "damaged-image", "The image could not be decoded.",
                    $"{Capitalized(name)} starts like a {signature} file but its header cannot be read ({bytes.Length} bytes): the file is damaged or cut short. Send the complete file.")
                : new ImageRejection(415, "unsupported-image-format", "Not an image in a supported format.",
                    $"{Capitalized(name)} ({bytes.Length} bytes{Looks(bytes)}) is not a {AcceptedFormats} image. Send one of those.");
            return false;
        }
        if (!Accepted.TryGetValue(codec.EncodedFormat, out var format))
        {
            rejection = new ImageRejection(415, "unsupported-image-format", "Not an image in a supported format.",
                $"{Capitalized(name)} is a {codec.EncodedFormat} image; the service accepts {AcceptedFormats}. Convert it first.");
            return false;
        }
        var info = codec.Info;
        long pixels = (long)info.Width * info.Height;
        if (pixels > maxPixels)
        {
            rejection = new ImageRejection(413, "too-many-pixels", "The image has too many pixels.", string.Create(CultureInfo.InvariantCulture,
                $"{Capitalized(name)} is a {format} of {info.Width} × {info.Height} = {pixels:N0} pixels (read from its header; nothing was decoded); the limit is {maxPixels:N0} (Scoring:MaxImagePixels). Resize it first: the network sees it at its own small input size anyway."));
            return false;
        }
        if (info.Width <= 0 || info.Height <= 0)
        {
            rejection = new ImageRejection(400, "damaged-image", "The image could not be decoded.",
                $"{Capitalized(name)} is a {format} whose header gives a size of {info.Width} × {info.Height}. Send a complete image.");
            return false;
        }

        // As SKBitmap.Decode(SKCodec) does (the decode ML.NET's LoadImages runs): unpremultiplied alpha becomes
        // premultiplied, the colour space is dropped; then, unlike it, nothing but complete success is accepted.
        if (info.AlphaType == SKAlphaType.Unpremul)
            info.AlphaType = SKAlphaType.Premul;
        info.ColorSpace = null;
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            rejection = result == SKCodecResult.IncompleteInput
                ? new ImageRejection(400, "truncated-image", "The image is truncated.",
                    $"{Capitalized(name)} is a {format} of {info.Width} × {info.Height} whose data end before the image does ({bytes.Length} bytes): it was cut short in transfer or on disk. Send the complete file.")
                : new ImageRejection(400, "damaged-image", "The image could not be decoded.",
                    $"{Capitalized(name)} is a {format} of {info.Width} × {info.Height} that could not be decoded ({result}). Send an undamaged file.");
            return false;
        }
        image = new DecodedImage(ToMLImage(bitmap), format);
        rejection = null;
        return true;
    }

    /// <summary>
    /// The decoded pixels as an <see cref="MLImage"/>, converted as <c>MLImage</c>'s own constructor converts a decoded
    /// bitmap: 32-bit BGRA or RGBA kept, anything else (grey, 16-bit, …) copied to BGRA.
    /// </summary>
    private static MLImage ToMLImage(SKBitmap bitmap)
    {
        if (bitmap.ColorType is SKColorType.Bgra8888 or SKColorType.Rgba8888)
            return MLImage.CreateFromPixels(bitmap.Width, bitmap.Height,
                bitmap.ColorType == SKColorType.Bgra8888 ? MLPixelFormat.Bgra32 : MLPixelFormat.Rgba32, bitmap.GetPixelSpan());
        using var bgra = bitmap.Copy(SKColorType.Bgra8888)
            ?? throw new InvalidDataException($"SkiaSharp cannot convert {bitmap.ColorType} pixels to BGRA.");
        return MLImage.CreateFromPixels(bgra.Width, bgra.Height, MLPixelFormat.Bgra32, bgra.GetPixelSpan());
    }

    /// <summary>The format the first bytes announce (magic numbers), or null.</summary>
    private static string? Signature(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (bytes.StartsWith("GIF8"u8)) return "GIF";
        if (bytes.StartsWith("RIFF"u8) && bytes.Length >= 12 && bytes[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        if (bytes.StartsWith("BM"u8) && bytes.Length >= 14) return "BMP";
        return null;
    }

    /// <summary>", which looks like text" when the first bytes are printable ASCII, else "".</summary>
    private static string Looks(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 64)];
        foreach (byte b in head)
            if (b is not ((>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                return "";
        return ", which looks like text";
    }

    private static string Capitalized(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
