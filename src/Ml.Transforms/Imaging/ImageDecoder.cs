using Microsoft.ML.Data;
using SkiaSharp;

namespace Ml.Transforms.Imaging;

/// <summary>
/// The library's one strict image decoder: every pixel of the file decoded by SkiaSharp (the decoder ML.NET's
/// <see cref="MLImage"/> and <c>LoadImages</c> use), and a file the decoder reports as incomplete or damaged refused with
/// its name and the reason. ML.NET's own <see cref="MLImage.CreateFromFile"/> keeps a half-decoded image (SkiaSharp's
/// <c>SKBitmap.Decode</c> accepts <see cref="SKCodecResult.IncompleteInput"/>: the rows the file lacks come out gray or
/// black) and, for a file it cannot decode at all, says "Invalid path" naming neither the file nor the problem.
/// </summary>
/// <remarks>
/// The image it returns is the one ML.NET makes from the same file, bit for bit (same decoder settings: SkiaSharp's
/// native 32-bit layout, alpha premultiplied, no colour-space conversion). What a decoder cannot see stays unseen:
/// a changed byte inside JPEG, WebP or BMP pixel data decodes without an error (those formats carry no checksum).
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>The last 8 bytes of every PNG's IEND chunk: its type and its (constant) CRC.</summary>
    private static readonly byte[] PngEnd = [(byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    /// <summary>The last byte of a GIF (its trailer, ';').</summary>
    private const byte GifTrailer = 0x3B;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes <paramref name="path"/> strictly (PNG, JPEG, BMP, GIF, WebP, … whatever SkiaSharp reads).</summary>
    /// <exception cref="InvalidDataException">The file is empty, cannot be read, is not an image the decoder reads, or is
    /// truncated or damaged; the message names it and says which.</exception>
    public static MLImage Decode(string path) => Decode(Read(path), path);

    /// <summary>Decodes the bytes of an image file strictly; <paramref name="name"/> (its path) goes into the message.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a complete, undamaged image; the message names the file and says why.</exception>
    public static MLImage Decode(byte[] content, string name) =>
        TryDecode(content, out var image, out var problem) ? image! : throw Unreadable(name, problem!);

    /// <summary>The bytes of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read (missing, no permission, a folder); the message names it.</exception>
    public static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, $"it cannot be read ({e.Message})");
        }
    }

    /// <summary>The exception for a file that is not a complete, readable image: "Image file '…' could not be decoded: why.".</summary>
    public static InvalidDataException Unreadable(string name, string problem) =>
        new($"Image file '{name}' could not be decoded: {problem}.");

    /// <summary>
    /// Decodes <paramref name="content"/> strictly: true and the image, or false and what is wrong in words ("it is
    /// empty", "it is truncated: …", "its image data are damaged …", "its N bytes are not a PNG, JPEG, …").
    /// </summary>
    public static bool TryDecode(byte[] content, out MLImage? image, out string? problem)
    {
        image = null;
        if (!TryDecodeBitmap(content, out var bitmap, out problem))
            return false;
        using (bitmap)
            image = ToMLImage(bitmap!);
        return true;
    }

    /// <summary>
    /// <see cref="Decode(string)"/> without the copy into an <see cref="MLImage"/>: the decoded pixels as a BGRA or RGBA
    /// bitmap (other layouts converted to BGRA, as <see cref="MLImage"/> holds them), for reading pixels straight from it
    /// (<see cref="ImagePixels.Extract(SKBitmap, int, int, Span{byte})"/> gives the same bytes as from the image).
    /// </summary>
    /// <exception cref="InvalidDataException">As <see cref="Decode(string)"/>.</exception>
    public static SKBitmap DecodeBitmap(string path)
    {
        var content = Read(path);
        if (!TryDecodeBitmap(content, out var bitmap, out var problem))
            throw Unreadable(path, problem!);
        if (bitmap!.ColorType is SKColorType.Bgra8888 or SKColorType.Rgba8888)
            return bitmap;
        using (bitmap)
            return bitmap.Copy(SKColorType.Bgra8888)
                ?? throw new InvalidDataException($"Decoded pixels of colour type {bitmap.ColorType} cannot be converted to BGRA.");
    }

    /// <summary>The strict decode of <see cref="TryDecode"/>: the decoder's own bitmap (its colour type), or false and why.</summary>
    private static bool TryDecodeBitmap(byte[] content, out SKBitmap? decoded, out string? problem)
    {
        decoded = null;
        using var codec = OpenCodec(content, out problem);
        if (codec is null)
            return false;
        // SKBitmap.Decode's settings, so that the pixels are ML.NET's: the codec's colour type, premultiplied alpha, no colour space.
        var info = codec.Info;
        if (info.AlphaType == SKAlphaType.Unpremul)
            info.AlphaType = SKAlphaType.Premul;
        info.ColorSpace = null;
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        problem = result switch
        {
            SKCodecResult.Success when !HasItsEnd(codec.EncodedFormat, content) => CutBeforeItsEnd(codec, content),
            SKCodecResult.Success => null,
            SKCodecResult.IncompleteInput =>
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it is truncated: its {content.Length} bytes end before the {Format(codec)} image data do (an interrupted copy or download?)"),
            SKCodecResult.ErrorInInput => $"its {Format(codec)} image data are damaged (the decoder found an error in them)",
            _ => $"the {Format(codec)} decoder could not decode it ({result})",
        };
        if (problem is not null)
        {
            bitmap.Dispose();
            return false;
        }
        decoded = bitmap;
        return true;
    }

    /// <summary>
    /// Reads only what an image file says of itself, decoding no pixel: true and its size when the decoder recognises the
    /// format from the header and the file has its format's end marker (PNG, GIF, WebP; <see cref="HasItsEnd"/>); false
    /// and what is wrong in words otherwise. Damage inside the image data (and a JPEG or BMP cut inside its pixels) is
    /// found only by <see cref="TryDecode"/>.
    /// </summary>
    public static bool TryReadHeader(byte[] content, out int width, out int height, out string? problem)
    {
        width = height = 0;
        using var codec = OpenCodec(content, out problem);
        if (codec is null)
            return false;
        if (!HasItsEnd(codec.EncodedFormat, content))
        {
            problem = CutBeforeItsEnd(codec, content);
            return false;
        }
        (width, height) = (codec.Info.Width, codec.Info.Height);
        return true;
    }

    /// <summary>
    /// Decodes <paramref name="content"/> strictly, as <see cref="Decode(byte[], string)"/> does, and gives its size,
    /// without copying the pixels into an <see cref="MLImage"/>: for checking a file.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a complete, undamaged image; the message names <paramref name="name"/>.</exception>
    public static (int Width, int Height) DecodedSize(byte[] content, string name)
    {
        if (!TryDecodeBitmap(content, out var bitmap, out var problem))
            throw Unreadable(name, problem!);
        using (bitmap)
            return (bitmap!.Width, bitmap.Height);
    }

    /// <summary>
    /// The decoder for <paramref name="content"/> when its header can be read and gives a size; null and why otherwise
    /// ("it is empty", truncated inside the header, not an image). The codec owns the stream it is made from.
    /// </summary>
    private static SKCodec? OpenCodec(byte[] content, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
        {
            problem = "it is empty";
            return null;
        }
        var codec = SKCodec.Create(new SKMemoryStream(content), out var created);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            codec?.Dispose();
            problem = created == SKCodecResult.IncompleteInput
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it is truncated: its {content.Length} bytes end inside the image's header (an interrupted copy or download?)")
                : NotAnImage(content.Length);
            return null;
        }
        problem = null;
        return codec;
    }

    /// <summary>The problem of a file the decoder read in full that stops before its format's end marker.</summary>
    private static string CutBeforeItsEnd(SKCodec codec, byte[] content) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it is truncated: its {content.Length} bytes stop before the {Format(codec)} file's end marker (an interrupted copy or download?)");

    private static string NotAnImage(int length) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"its {length} bytes are not a PNG, JPEG, BMP, GIF or WebP image, or the image is damaged");

    private static string Format(SKCodec codec) => codec.EncodedFormat switch
    {
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Png => "PNG",
        SKEncodedImageFormat.Gif => "GIF",
        SKEncodedImageFormat.Webp => "WebP",
        SKEncodedImageFormat.Bmp => "BMP",
        var other => other.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// Whether a file the decoder read in full still has its format's end marker: a PNG its IEND chunk (bytes after it
    /// are tolerated, as decoders do), a GIF its trailer byte (';', then at most zero padding), a WebP all the bytes its
    /// RIFF header declares. A file cut after the last pixel but before that end decodes without an error, yet it was
    /// cut. JPEG and BMP decoders report a missing end themselves.
    /// </summary>
    private static bool HasItsEnd(SKEncodedImageFormat format, byte[] content) => format switch
    {
        SKEncodedImageFormat.Png => !content.AsSpan().StartsWith(PngSignature) || content.AsSpan().LastIndexOf(PngEnd) >= 0,
        SKEncodedImageFormat.Gif => content.AsSpan().TrimEnd((byte)0) is { Length: > 0 } trimmed && trimmed[^1] == GifTrailer,
        SKEncodedImageFormat.Webp => content.Length < 12 || content.Length - 8L >= System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(content.AsSpan(4, 4)),
        _ => true,
    };

    /// <summary>An <see cref="MLImage"/> of the decoded pixels, laid out as ML.NET lays out the same file's (BGRA or RGBA; other layouts as BGRA).</summary>
    private static MLImage ToMLImage(SKBitmap bitmap)
    {
        if (bitmap.ColorType is SKColorType.Bgra8888 or SKColorType.Rgba8888)
            return MLImage.CreateFromPixels(bitmap.Width, bitmap.Height, bitmap.ColorType == SKColorType.Bgra8888 ? MLPixelFormat.Bgra32 : MLPixelFormat.Rgba32, bitmap.GetPixelSpan());
        using var bgra = bitmap.Copy(SKColorType.Bgra8888)
            ?? throw new InvalidDataException($"Decoded pixels of colour type {bitmap.ColorType} cannot be converted to BGRA.");
        return MLImage.CreateFromPixels(bgra.Width, bgra.Height, MLPixelFormat.Bgra32, bgra.GetPixelSpan());
    }
}
