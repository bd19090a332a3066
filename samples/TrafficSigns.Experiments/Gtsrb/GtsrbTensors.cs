using TorchSharp;
using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>GTSRB samples as tensors: decoded images and class labels.</summary>
internal static class GtsrbTensors
{
    /// <summary>
    /// Decodes the samples' images (PPM, PNG or JPEG; in parallel) into one CPU tensor, resizing with libtorch's bilinear
    /// interpolation (align_corners false, antialiased) only the images whose size differs from the requested one.
    /// </summary>
    /// <remarks>
    /// The resize is PIL's <c>Image.resize(size, BILINEAR)</c> (Pillow ≥ 2.7, 2015: a triangle filter whose support grows
    /// with the downscale factor, so downscaling is antialiased; upscaling is plain bilinear interpolation of pixel
    /// centres), which is what <c>scipy.misc.imresize(img, size)</c> calls: libtorch's antialiased bilinear mode was
    /// ported from Pillow's resampling code, and PyTorch documents that with align_corners false it matches Pillow's
    /// result when downsampling. Unlike PIL the result is not rounded to 8 bits (a difference below 1/255).
    /// When several images fail, the exception of one of them is thrown.
    /// </remarks>
    /// <param name="samples">The samples, in the order of the batch dimension.</param>
    /// <param name="height">Output height in pixels.</param>
    /// <param name="width">Output width in pixels.</param>
    /// <returns>(N, 3, <paramref name="height"/>, <paramref name="width"/>), float32, RGB in [0, 1], on the CPU.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="height"/> or <paramref name="width"/> is below 1, or the batch is too large for one array.</exception>
    /// <exception cref="FileNotFoundException">An image file is missing.</exception>
    /// <exception cref="InvalidDataException">An image file is not a well-formed P6 PPM, PNG or JPEG.</exception>
    public static Tensor ToImageTensor(IReadOnlyList<GtsrbSample> samples, int height, int width) =>
        ToImageTensor(samples, height, width, out _);

    /// <summary>
    /// <see cref="ToImageTensor(IReadOnlyList{GtsrbSample}, int, int)"/>, also giving the size of each image file as
    /// decoded, before any resize.
    /// </summary>
    /// <param name="samples">The samples, in the order of the batch dimension.</param>
    /// <param name="height">Output height in pixels.</param>
    /// <param name="width">Output width in pixels.</param>
    /// <param name="sourceSizes">The decoded (width, height) of each sample's image, in the samples' order.</param>
    /// <returns>(N, 3, <paramref name="height"/>, <paramref name="width"/>), float32, RGB in [0, 1], on the CPU.</returns>
    public static Tensor ToImageTensor(IReadOnlyList<GtsrbSample> samples, int height, int width, out (int Width, int Height)[] sourceSizes)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        int n = samples.Count;
        int plane = height * width;
        long total = (long)n * 3 * plane;
        if ((long)height * width > int.MaxValue / 3 || total > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(samples), $"{n} images of 3x{height}x{width} floats do not fit in one array.");

        var data = new float[total];
        var sizes = new (int Width, int Height)[n];
        try
        {
            Parallel.For(0, n, i =>
            {
                var image = GtsrbImageFile.Read(samples[i].ImagePath);
                sizes[i] = (image.Width, image.Height);
                var destination = data.AsSpan((int)((long)i * 3 * plane), 3 * plane);
                if (image.Height == height && image.Width == width)
                    ToPlanes(image.Rgb, destination);
                else
                    Resize(image, height, width, destination);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the decoder's own exception (FileNotFoundException, InvalidDataException), not the wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        sourceSizes = sizes;
        return tensor(data, new long[] { n, 3, height, width });
    }

    /// <summary>The samples' class ids.</summary>
    /// <param name="samples">The samples.</param>
    /// <returns>(N), int64, on the CPU.</returns>
    public static Tensor ToLabelTensor(IReadOnlyList<GtsrbSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var labels = new long[samples.Count];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = samples[i].ClassId;
        return tensor(labels, new long[] { labels.Length });
    }

    /// <summary>Interleaved RGB bytes to three planes of floats in [0, 1].</summary>
    private static void ToPlanes(byte[] rgb, Span<float> planes)
    {
        int plane = rgb.Length / 3;
        for (int p = 0; p < plane; p++)
        {
            planes[p] = rgb[3 * p] / 255f;
            planes[plane + p] = rgb[3 * p + 1] / 255f;
            planes[2 * plane + p] = rgb[3 * p + 2] / 255f;
        }
    }

    private static void Resize(RgbImage image, int height, int width, Span<float> destination)
    {
        var planes = new float[3 * image.Height * image.Width];
        ToPlanes(image.Rgb, planes);
        using var scope = NewDisposeScope();
        var source = tensor(planes, new long[] { 1, 3, image.Height, image.Width });
        using var zero = 0.ToScalar();   // kept alive across the call (TorchSharp's temporary-Scalar race; docs/performance.md)
        using var one = 1.ToScalar();
        var resized = nn.functional.interpolate(
            source, new long[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: true)
            .clamp_(zero, one)
            .contiguous();
        resized.data<float>().ToArray().CopyTo(destination);
    }
}
