using TorchSharp;
using Microsoft.ML.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Imaging;

/// <summary>
/// An image as a network input, byte for byte what ML.NET's <c>ResizeImages</c> (Fill) and <c>ExtractPixels</c> (RGB, interleaving off) make of it: resized to width × height (left as it is when it has that
/// size) and read as channel-major R, G, B planes. <c>ExtractPixels</c>' float for a byte b is b × <see cref="Scale"/>
/// (its offset 0, scale 1/255), which <see cref="ToFloat"/> computes the same way, so that pixels kept as bytes become
/// the floats ML.NET would have made.
/// </summary>
internal static class ImagePixels
{
    /// <summary>The scale of ML.NET's <c>ExtractPixels</c> in the scoring chain: a byte b becomes the float b × (1/255).</summary>
    public const float Scale = 1f / 255;

    /// <summary>
    /// Resizes <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/> as <c>ResizeImages</c> with
    /// Fill does and writes its R, G and B planes (3 × height × width bytes, channel-major) into
    /// <paramref name="destination"/>.
    /// </summary>
    public static unsafe void Extract(MLImage image, int width, int height, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var colorType = image.PixelFormat == MLPixelFormat.Rgba32 ? SKColorType.Rgba8888 : SKColorType.Bgra8888;
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, colorType, SKAlphaType.Premul));
        image.Pixels.CopyTo(new Span<byte>(bitmap.GetPixels().ToPointer(), image.Width * image.Height * 4));
        Extract(bitmap, width, height, destination);
    }

    /// <summary>
    /// Resizes <paramref name="bitmap"/> (8-bit BGRA or RGBA, as ML.NET holds images) to <paramref name="width"/> ×
    /// <paramref name="height"/> as <c>ResizeImages</c> with Fill does — ML.NET's <c>MLImage.CloneWithResizing</c>:
    /// SkiaSharp's <c>Resize</c> with nearest-neighbour sampling, nothing when the size is already right — and writes its
    /// R, G and B planes (3 × height × width bytes, channel-major) into <paramref name="destination"/>, as
    /// <c>ExtractPixels</c> reads them. The full-size bitmap is not kept.
    /// </summary>
    public static void Extract(SKBitmap bitmap, int width, int height, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        int pixels = width * height;
        if (destination.Length < 3 * pixels)
            throw new ArgumentException($"Needs {3 * pixels} bytes; got {destination.Length}.", nameof(destination));
        var (red, green, blue) = bitmap.ColorType switch
        {
            SKColorType.Bgra8888 => (2, 1, 0),
            SKColorType.Rgba8888 => (0, 1, 2),
            var other => throw new InvalidOperationException($"Image colour type {other} is not supported; decode to BGRA or RGBA."),
        };
        var resized = bitmap.Width == width && bitmap.Height == height ? null
            : bitmap.Resize(new SKSizeI(width, height), new SKSamplingOptions(SKFilterMode.Nearest))
              ?? throw new InvalidOperationException($"The image could not be resized to {width}×{height}.");
        try
        {
            ReadOnlySpan<byte> data = (resized ?? bitmap).GetPixelSpan();
            var r = destination[..pixels];
            var g = destination.Slice(pixels, pixels);
            var b = destination.Slice(2 * pixels, pixels);
            for (int i = 0, at = 0; i < pixels; i++, at += 4)
            {
                r[i] = data[at + red];
                g[i] = data[at + green];
                b[i] = data[at + blue];
            }
        }
        finally
        {
            resized?.Dispose();
        }
    }

    /// <summary>
    /// Bytes to the floats <c>ExtractPixels</c> makes of them: b × <see cref="Scale"/> in float32 (libtorch multiplies
    /// float32 by the scalar cast to float32, exactly as .NET's float multiplication does).
    /// </summary>
    /// <param name="bytes">Any shape, uint8.</param>
    /// <returns>The same shape, float32.</returns>
    public static Tensor ToFloat(Tensor bytes)
    {
        using var asFloat = bytes.to_type(ScalarType.Float32);
        return asFloat.mul(ScaleScalar);
    }

    /// <summary><see cref="Scale"/> as a Scalar kept for the process (shared: never dispose it; KeptScalars).</summary>
    private static readonly Scalar ScaleScalar = Scale.ToScalar();
}
