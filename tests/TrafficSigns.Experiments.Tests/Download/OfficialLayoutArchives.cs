using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using TrafficSigns.Experiments.Download;

namespace TrafficSigns.Experiments.Tests.Download;

/// <summary>
/// Tiny archives in the official GTSRB layout, made in the test: <see cref="Training"/> holds
/// GTSRB/Final_Training/Images/0000C/GT-0000C.csv and TTTTT_FFFFF.ppm for 2 classes × 2 tracks × 2 frames (8 images);
/// <see cref="TestImages"/> holds GTSRB/Final_Test/Images/0000N.ppm (4 images) with GT-final_test.test.csv (no class
/// ids); <see cref="TestLabels"/> holds GT-final_test.csv (with class ids) at its top level.
/// </summary>
internal sealed class OfficialLayoutArchives
{
    public const int TrainingImages = 8;
    public const int TestImageCount = 4;
    private const string Header = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2";
    private static readonly DateTimeOffset Stamp = new(2011, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public byte[] Training { get; } = Zip(TrainingEntries());
    public byte[] TestImages { get; } = Zip(TestImageEntries());
    public byte[] TestLabels { get; } = Zip([("GT-final_test.csv", Csv(TestRows(), withClass: true))]);

    /// <summary>The class of test image n.</summary>
    public static int TestClass(int n) => n % 2;

    /// <summary>The archive set describing these archives: the official names, their true MD5s, their image counts.</summary>
    public GtsrbArchiveSet Describe() => new(
        GtsrbArchiveSet.Official.Training with { Md5 = Md5(Training) },
        GtsrbArchiveSet.Official.TestImages with { Md5 = Md5(TestImages) },
        GtsrbArchiveSet.Official.TestLabels with { Md5 = Md5(TestLabels) },
        TrainingImages, TestImageCount);

    /// <summary>Serves the three archives under their official names.</summary>
    public void ServeFrom(LoopbackHttpServer server)
    {
        server.Files[GtsrbArchiveSet.Official.Training.FileName] = Training;
        server.Files[GtsrbArchiveSet.Official.TestImages.FileName] = TestImages;
        server.Files[GtsrbArchiveSet.Official.TestLabels.FileName] = TestLabels;
    }

    /// <summary>Unpacks the three archives into <paramref name="folder"/>, as a user would.</summary>
    public void UnpackInto(string folder)
    {
        foreach (var zip in new[] { Training, TestImages, TestLabels })
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            archive.ExtractToDirectory(folder, overwriteFiles: true);
        }
    }

#pragma warning disable CA5351 // the archives' published checksums are MD5s: integrity, not security.
    public static string Md5(byte[] bytes) => Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant();
#pragma warning restore CA5351

    /// <summary>A zip of the given entries, with fixed timestamps so the bytes are the same on every run.</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = Stamp;
                using var writer = entry.Open();
                writer.Write(content);
            }
        }
        return stream.ToArray();
    }

    /// <summary>A 32×32 P6 image: a disc of one colour per class on grey, shifted a little per image.</summary>
    public static byte[] Ppm(int classId, int variant)
    {
        const int size = 32;
        var header = Encoding.ASCII.GetBytes($"P6\n{size} {size}\n255\n");
        var rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            int dx = x - 16 - variant % 3, dy = y - 16 - variant % 2;
            bool disc = dx * dx + dy * dy < 100;
            int i = 3 * (y * size + x);
            (rgb[i], rgb[i + 1], rgb[i + 2]) = disc ? (classId == 0 ? ((byte)220, (byte)30, (byte)30) : ((byte)30, (byte)30, (byte)220)) : ((byte)128, (byte)128, (byte)128);
        }
        return [.. header, .. rgb];
    }

    private static IEnumerable<(string, byte[])> TrainingEntries()
    {
        yield return ("GTSRB/Readme-Images.txt", Encoding.ASCII.GetBytes("tiny test archive in the official layout\n"));
        for (int classId = 0; classId < 2; classId++)
        {
            string folder = $"GTSRB/Final_Training/Images/{classId:D5}/";
            yield return (folder, []);
            var rows = new List<string>();
            for (int track = 0; track < 2; track++)
            for (int frame = 0; frame < 2; frame++)
            {
                string name = $"{track:D5}_{frame:D5}.ppm";
                yield return (folder + name, Ppm(classId, 2 * track + frame));
                rows.Add($"{name};32;32;5;5;26;26;{classId}");
            }
            yield return (folder + $"GT-{classId:D5}.csv", Encoding.ASCII.GetBytes(Header + ";ClassId\r\n" + string.Concat(rows.Select(r => r + "\r\n"))));
        }
    }

    private static IEnumerable<(string, byte[])> TestImageEntries()
    {
        yield return ("GTSRB/Readme-Images-Final-test.txt", Encoding.ASCII.GetBytes("tiny test archive in the official layout\n"));
        for (int n = 0; n < TestImageCount; n++)
            yield return ($"GTSRB/Final_Test/Images/{n:D5}.ppm", Ppm(TestClass(n), n + 1));
        yield return ("GTSRB/Final_Test/Images/GT-final_test.test.csv", Csv(TestRows(), withClass: false));
    }

    private static IEnumerable<(string Name, int ClassId)> TestRows() =>
        Enumerable.Range(0, TestImageCount).Select(n => ($"{n:D5}.ppm", TestClass(n)));

    private static byte[] Csv(IEnumerable<(string Name, int ClassId)> rows, bool withClass) =>
        Encoding.ASCII.GetBytes(Header + (withClass ? ";ClassId" : "") + "\r\n" +
            string.Concat(rows.Select(r => $"{r.Name};32;32;5;5;26;26" + (withClass ? $";{r.ClassId}" : "") + "\r\n")));
}
