using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace ScoringService.Tests.Support;

/// <summary>Image files in every accepted format, and the bad uploads, made in memory.</summary>
internal static class ImageBytes
{
    /// <summary>A test image of the set as PNG.</summary>
    public static byte[] Png(LabelledImage image) => File.ReadAllBytes(image.Path);

    /// <summary>The same image as JPEG.</summary>
    public static byte[] Jpeg(LabelledImage image) => Reencode(image, SKEncodedImageFormat.Jpeg);

    /// <summary>
    /// A photograph of the repository (data/images/chelsea.png, 451 × 300) as JPEG (quality 80): large enough that a cut
    /// at 60 % falls in the image data, not in the header (a 32 × 32 JPEG is mostly header).
    /// </summary>
    public static byte[] PhotoJpeg()
    {
        using var bitmap = SKBitmap.Decode(MlLinearized.TestSupport.TestData.Photo("chelsea.png"));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    /// <summary>The same image as WebP.</summary>
    public static byte[] Webp(LabelledImage image) => Reencode(image, SKEncodedImageFormat.Webp);

    /// <summary>The same image as a 24-bit BMP (SkiaSharp writes no BMP: written here).</summary>
    public static byte[] Bmp(LabelledImage image)
    {
        using var bitmap = GtsrbPng.Load(image.Path);
        int width = bitmap.Width, height = bitmap.Height, stride = (3 * width + 3) & ~3;
        var bytes = new byte[54 + stride * height];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);   // positive: bottom-up rows
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                int i = 54 + (height - 1 - y) * stride + 3 * x;
                (bytes[i], bytes[i + 1], bytes[i + 2]) = (c.Blue, c.Green, c.Red);
            }
        return bytes;
    }

    /// <summary>A 1 × 1 GIF (the classic smallest GIF; SkiaSharp writes no GIF).</summary>
    public static byte[] Gif() => Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /// <summary>A semi-transparent RGBA PNG (alpha premultiplied by the decoder).</summary>
    public static byte[] TransparentPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(24, 20, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(10 * x), (byte)(12 * y), 200, (byte)(x * 255 / 23)));
        return GtsrbPng.Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>A greyscale PNG (decoded as Gray8, converted to BGRA as ML.NET converts it).</summary>
    public static byte[] GreyPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(17, 23, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(11 * x + 3 * y), (byte)(11 * x + 3 * y), (byte)(11 * x + 3 * y)));
        return GtsrbPng.Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="bytes"/>: a file cut short.</summary>
    public static byte[] Truncated(byte[] bytes, double fraction = 0.6) => bytes[..(int)(bytes.Length * fraction)];

    /// <summary>Bytes that are no image (fixed seed).</summary>
    public static byte[] Random(int length = 4096)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42;   // not 0x00 (SkiaSharp would try WBMP), not a known signature
        return bytes;
    }

    /// <summary>
    /// A decompression bomb: a complete, valid PNG of <paramref name="width"/> × <paramref name="height"/> black pixels,
    /// 1-bit greyscale, whose zlib data are tiny (20,000 × 20,000: about 49 KB on disk, 1.6 GB as RGBA).
    /// </summary>
    public static byte[] PngBomb(int width = 20_000, int height = 20_000)
    {
        int rowBytes = 1 + (width + 7) / 8;   // filter byte + packed bits
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[rowBytes * 64];
            for (int rows = 0; rows < height; rows += 64)
                zlib.Write(zeros, 0, rowBytes * Math.Min(64, height - rows));
        }
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1;   // bit depth
        header[9] = 0;   // greyscale
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typeAndData = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] Reencode(LabelledImage image, SKEncodedImageFormat format)
    {
        using var bitmap = GtsrbPng.Load(image.Path);
        return GtsrbPng.Encode(bitmap, format);
    }
}
