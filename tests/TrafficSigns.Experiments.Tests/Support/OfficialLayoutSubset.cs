using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using MlLinearized.TestSupport;
using TrafficSigns.Experiments.Gtsrb;

namespace TrafficSigns.Experiments.Tests.Support;

/// <summary>
/// Real GTSRB images in the official layout, for the readers and commands that read it: the training part of the
/// repository's built-in subset (data/gtsrb-subset, Kaggle layout, PNG) written back as the official training set —
/// <c>Final_Training/Images/000NN/TTTTT_FFFFF.ppm</c> (binary P6) and <c>GT-000NN.csv</c> with Train.csv's original crop
/// sizes and regions of interest. 2,092 images: 1,046 tracks of the 43 classes, 2 frames each (frames 7 and 22, the
/// pixels the subset had as PPM). Written once per test run into a temporary folder.
/// </summary>
internal static class OfficialLayoutSubset
{
    /// <summary>Images in the folder.</summary>
    public const int Images = 2092;

    /// <summary>Tracks in the folder (class, track).</summary>
    public const int Tracks = 1046;

    private static readonly Lazy<string> _root = new(Write);

    private static readonly Lazy<IReadOnlyList<GtsrbSample>> _all = new(() => GtsrbReader.ReadTraining(Root));

    /// <summary>The folder holding Final_Training.</summary>
    public static string Root => _root.Value;

    /// <summary>Every sample, read once.</summary>
    public static IReadOnlyList<GtsrbSample> All => _all.Value;

    /// <summary>The first <paramref name="perClass"/> samples of each class: a few hundred images to decode.</summary>
    public static IReadOnlyList<GtsrbSample> FirstOfEachClass(int perClass) =>
        All.GroupBy(s => s.ClassId).SelectMany(g => g.Take(perClass)).ToList();

    /// <summary>A class folder, e.g. 14 → .../Final_Training/Images/00014.</summary>
    public static string ClassFolder(int classId) =>
        Path.Combine(Root, "Final_Training", "Images", classId.ToString("D5", CultureInfo.InvariantCulture));

    private static string Write()
    {
        string source = TestData.GtsrbRoot;
        string root = Path.Combine(Path.GetTempPath(), "trafficsigns-experiments-official-" + Environment.ProcessId);
        var rows = File.ReadAllLines(Path.Combine(source, "Train.csv")).Skip(1).Select(line => line.Split(',')).ToList();
        var csv = new Dictionary<int, StringBuilder>();
        foreach (var row in rows)
        {
            // Width,Height,Roi.X1,Roi.Y1,Roi.X2,Roi.Y2,ClassId,Path (Train/<class>/CCCCC_TTTTT_FFFFF.png)
            int classId = int.Parse(row[6], CultureInfo.InvariantCulture);
            var name = Path.GetFileNameWithoutExtension(row[7]).Split('_');
            string ppm = $"{name[1]}_{name[2]}.ppm";
            if (!csv.TryGetValue(classId, out var lines))
                csv[classId] = lines = new StringBuilder("Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\r\n");
            lines.Append(CultureInfo.InvariantCulture, $"{ppm};{row[0]};{row[1]};{row[2]};{row[3]};{row[4]};{row[5]};{classId}\r\n");
            Directory.CreateDirectory(ClassFolder(root, classId));
            File.WriteAllBytes(Path.Combine(ClassFolder(root, classId), ppm), Ppm(Path.Combine(source, row[7])));
        }
        foreach (var (classId, lines) in csv)
            File.WriteAllText(Path.Combine(ClassFolder(root, classId), $"GT-{classId:D5}.csv"), lines.ToString());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        return root;
    }

    private static string ClassFolder(string root, int classId) =>
        Path.Combine(root, "Final_Training", "Images", classId.ToString("D5", CultureInfo.InvariantCulture));

    /// <summary>A PNG's pixels as a binary PPM (P6, maxval 255).</summary>
    private static byte[] Ppm(string png)
    {
        using var image = MLImage.CreateFromFile(png);
        var pixels = image.Pixels;
        var (r, b) = image.PixelFormat == MLPixelFormat.Bgra32 ? (2, 0) : (0, 2);
        var rgb = new byte[image.Width * image.Height * 3];
        for (int i = 0; i < image.Width * image.Height; i++)
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (pixels[4 * i + r], pixels[4 * i + 1], pixels[4 * i + b]);
        return global::TrafficSigns.Experiments.Tests.Support.Ppm.P6(image.Width, image.Height, rgb);
    }
}
