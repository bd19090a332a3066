using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TrafficSigns.Commands;

/// <summary>Scores every PNG/JPEG of a folder with a saved model; writes scores.csv (file, predicted class, confidence).</summary>
internal static class ScoreCommand
{
    public static int Run(CommandLine options)
    {
        var modelPath = options.Get("model", "");
        var folder = options.Get("images", "");
        var outputDir = options.Get("output", "output");
        if (!File.Exists(modelPath)) throw new ArgumentException($"--model: '{modelPath}' does not exist.");
        if (!Directory.Exists(folder)) throw new ArgumentException($"--images: folder '{folder}' does not exist.");
        var files = Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)).Order().ToList();
        if (files.Count == 0) throw new ArgumentException($"--images: no PNG or JPEG files in '{folder}'.");
        CheckDecodable(files);

        var mlContext = new MLContext().RegisterStnComponents();
        var model = mlContext.Model.Load(modelPath, out _);
        var rows = mlContext.Data.LoadFromEnumerable(files.Select(f => new TrainCommand.Input { ImagePath = Path.GetFullPath(f) }));
        var scored = model.Transform(rows);
        var classes = scored.GetColumn<string>("PredictedClass").ToList();
        var scores = scored.GetColumn<float[]>("Score").ToList();
        var csv = new StringBuilder("file,predicted class,confidence\n");
        for (int i = 0; i < files.Count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"\"{Path.GetFileName(files[i])}\",\"{classes[i]}\",{scores[i].Max():F4}\n");
        Directory.CreateDirectory(outputDir);
        var path = Path.Combine(outputDir, "scores.csv");
        AtomicFile.WriteAllText(path, csv.ToString());
        Console.WriteLine($"Scored {files.Count} images: {Path.GetFullPath(path)}");
        return 0;
    }

    /// <summary>
    /// Decodes every file once before scoring: ML.NET's LoadImages fails on the first file it cannot decode with
    /// "Invalid path", naming neither the file nor the problem.
    /// </summary>
    private static void CheckDecodable(IReadOnlyList<string> files)
    {
        var bad = new List<string>();
        foreach (var file in files)
        {
            try
            {
                using var image = MLImage.CreateFromFile(file);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
            {
                long length = new FileInfo(file).Length;
                bad.Add($"'{file}' ({(length == 0 ? "empty" : $"{length} bytes, not a PNG or JPEG image, or damaged")})");
            }
        }
        if (bad.Count > 0)
            throw new InvalidDataException(
                $"--images: {bad.Count} of {files.Count} file(s) could not be decoded, so nothing was scored: {string.Join(", ", bad.Take(5))}{(bad.Count > 5 ? $" and {bad.Count - 5} more" : "")}. Remove or replace them.");
    }
}
