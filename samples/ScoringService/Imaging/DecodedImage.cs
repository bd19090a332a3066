using Microsoft.ML.Data;

namespace ScoringService.Imaging;

/// <summary>An upload decoded the way ML.NET's <c>LoadImages</c> decodes a file, with what its header said.</summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>Creates a decoded image; takes ownership of <paramref name="image"/>.</summary>
    public DecodedImage(MLImage image, string format)
    {
        Image = image;
        Format = format;
        Width = image.Width;
        Height = image.Height;
    }

    /// <summary>The pixels, as ML.NET's image column holds them.</summary>
    public MLImage Image { get; }

    /// <summary>The encoded format: png, jpeg, bmp, gif or webp.</summary>
    public string Format { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
