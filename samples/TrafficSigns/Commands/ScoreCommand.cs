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
}
