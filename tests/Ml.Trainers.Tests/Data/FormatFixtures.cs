using MlLinearized.TestSupport;

namespace Ml.Trainers.Tests.Data;

/// <summary>
/// The image files of tests/Ml.Trainers.Tests/Data/Formats: one pattern (blue ground, yellow disc, white diagonal) in
/// every format ML.NET's LoadImages reads, each in another size and pixel layout.
/// </summary>
internal static class FormatFixtures
{
    /// <summary>File name → (width, height).</summary>
    public static IReadOnlyDictionary<string, (int Width, int Height)> Files { get; } = new Dictionary<string, (int, int)>
    {
        ["gray.png"] = (30, 20),     // 8-bit grayscale
        ["rgba.png"] = (24, 24),     // RGBA, left half fully transparent
        ["photo.jpg"] = (40, 28),
        ["bitmap.bmp"] = (28, 28),
        ["palette.gif"] = (32, 32),  // palette
        ["small.webp"] = (20, 36),
    };

    public static string Folder => Path.Combine(TestData.RepositoryRoot, "tests", "Ml.Trainers.Tests", "Data", "Formats");

    /// <summary>Copies every fixture into <paramref name="folder"/> (created), optionally with a name prefix.</summary>
    public static void CopyAll(string folder, string prefix = "")
    {
        Directory.CreateDirectory(folder);
        foreach (var name in Files.Keys)
            File.Copy(Path.Combine(Folder, name), Path.Combine(folder, prefix + name));
    }
}
