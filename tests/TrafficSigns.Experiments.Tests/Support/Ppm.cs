using System.Text;

namespace TrafficSigns.Experiments.Tests.Support;

/// <summary>Builds PPM bytes for tests.</summary>
internal static class Ppm
{
    /// <summary>An ASCII header followed by raw bytes.</summary>
    public static byte[] Bytes(string header, byte[] raster) => Encoding.ASCII.GetBytes(header).Concat(raster).ToArray();

    /// <summary>A P6 image, maxval 255, of the given interleaved RGB bytes.</summary>
    public static byte[] P6(int width, int height, byte[] rgb) => Bytes($"P6\n# test\n{width} {height}\n255\n", rgb);

    /// <summary>Interleaved RGB of one colour.</summary>
    public static byte[] Solid(int width, int height, byte r, byte g, byte b)
    {
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++)
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (r, g, b);
        return rgb;
    }
}
