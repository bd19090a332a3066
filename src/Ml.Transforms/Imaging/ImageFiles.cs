using Microsoft.ML.Data;

namespace Ml.Transforms.Imaging;

/// <summary>
/// Image files decoded strictly, with the file named when one cannot be: use it where your app takes images from users
/// (an upload, a folder to score) before ML.NET sees them. ML.NET's own decoder (<see cref="MLImage.CreateFromFile"/>,
/// <c>LoadImages</c>) keeps a truncated image half-decoded (the missing rows gray or black) and says "Invalid input stream
/// contents" or "Invalid path" for a file it cannot decode, naming neither the file nor the problem. Here the decoder's
/// own result is checked (SkiaSharp's <c>IncompleteInput</c> and <c>ErrorInInput</c>), and a PNG, GIF or WebP that stops
/// before its end marker counts as cut. The pixels are ML.NET's, bit for bit.
/// </summary>
/// <remarks>
/// What no decoder can see stays unseen: a changed byte inside JPEG, WebP or BMP pixel data decodes without an error
/// (those formats carry no checksum; PNG's does, and is checked). See docs/known-limits.md.
/// </remarks>
public static class ImageFiles
{
    /// <summary>Decodes the image file <paramref name="path"/> (PNG, JPEG, BMP, GIF, WebP) strictly.</summary>
    /// <returns>The image, as ML.NET's <see cref="MLImage.CreateFromFile"/> gives it for an intact file; dispose it.</returns>
    /// <exception cref="InvalidDataException">The file cannot be read, is empty, is not an image, or is truncated or
    /// damaged: "Image file '…' could not be decoded: it is truncated: …".</exception>
    public static MLImage Decode(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ImageDecoder.Decode(path);
    }

    /// <summary>Decodes the bytes of an image file (e.g. an upload) strictly; <paramref name="name"/> goes into the message.</summary>
    /// <returns>The image; dispose it.</returns>
    /// <exception cref="InvalidDataException">The bytes are empty, not an image, or truncated or damaged; the message names <paramref name="name"/>.</exception>
    public static MLImage Decode(byte[] content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ImageDecoder.Decode(content, name);
    }
}
