namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// A binary PPM image (Netpbm "P6"), decoded to 8-bit interleaved RGB. Headers may use any whitespace and carry
/// <c>#</c> comments anywhere up to the single whitespace byte after the maxval; maxval may be 1..65535 (above 255
/// each sample is two bytes, big-endian). Every sample is scaled to 0..255.
/// </summary>
internal sealed class PpmImage
{
    private PpmImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major interleaved RGB samples in 0..255, <c>Width * Height * 3</c> bytes.</summary>
    public byte[] Rgb { get; }

    /// <summary>
    /// The image as an ML.NET <see cref="Microsoft.ML.Data.MLImage"/> (RGBA, opaque), e.g. to save it as PNG with
    /// <c>Save</c>: ML.NET's <c>LoadImages</c> reads PNG/JPEG but not PPM. Dispose the result.
    /// </summary>
    public Microsoft.ML.Data.MLImage ToMLImage()
    {
        var rgba = new byte[Width * Height * 4];
        for (int i = 0, j = 0; i < Rgb.Length; i += 3, j += 4)
        {
            rgba[j] = Rgb[i];
            rgba[j + 1] = Rgb[i + 1];
            rgba[j + 2] = Rgb[i + 2];
            rgba[j + 3] = 255;
        }
        return Microsoft.ML.Data.MLImage.CreateFromPixels(Width, Height, Microsoft.ML.Data.MLPixelFormat.Rgba32, rgba);
    }

    /// <summary>Reads a P6 file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed P6 image.</exception>
    public static PpmImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"PPM file '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads one P6 image from a stream, leaving the stream just after its pixel data when the stream is unbuffered.
    /// </summary>
    /// <param name="stream">The stream, positioned at the magic number.</param>
    /// <param name="name">The file name or description used in error messages.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="InvalidDataException">The data is not a well-formed P6 image.</exception>
    public static PpmImage Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        var header = new PpmHeaderReader(stream, name);
        header.ReadMagic();
        int width = header.ReadNumber("width");
        int height = header.ReadNumber("height");
        int maxval = header.ReadNumber("maxval");

        if (width < 1 || height < 1)
            throw Invalid(name, $"bad size {width}x{height}: width and height must be at least 1");
        if (maxval < 1 || maxval > 65535)
            throw Invalid(name, $"bad maxval {maxval}: it must be in 1..65535");
        int bytesPerSample = maxval > 255 ? 2 : 1;
        long sampleCount = (long)width * height * 3;
        long byteCount = sampleCount * bytesPerSample;
        if (byteCount > Array.MaxLength)
            throw Invalid(name, $"bad size {width}x{height}: {byteCount} bytes of pixel data is more than one array can hold");

        var raw = new byte[byteCount];
        int read = stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        if (read < raw.Length)
            throw Invalid(name, $"truncated pixel data: {width}x{height} RGB at maxval {maxval} needs {raw.Length} bytes after the header, found {read}");

        return new PpmImage(width, height, ScaleTo8Bits(raw, (int)sampleCount, maxval, name));
    }

    private static byte[] ScaleTo8Bits(byte[] raw, int sampleCount, int maxval, string name)
    {
        if (maxval == 255)
            return raw;
        var rgb = new byte[sampleCount];
        int half = maxval / 2;
        for (int i = 0; i < sampleCount; i++)
        {
            int sample = maxval > 255 ? (raw[2 * i] << 8) | raw[2 * i + 1] : raw[i];
            if (sample > maxval)
                throw Invalid(name, $"sample {i} (pixel {i / 3}) is {sample}, above the maxval {maxval}");
            rgb[i] = (byte)((sample * 255 + half) / maxval);
        }
        return rgb;
    }

    internal static InvalidDataException Invalid(string name, string problem) =>
        new($"PPM '{name}': {problem}.");
}
