// Package consumer test, app 1 (scripts/package-test.sh copies this file into a NEW console app outside the
// repository that references the MlLinearized packages and one libtorch backend). It writes a folder of images, one
// subfolder per label, trains on it the way the package readme shows, evaluates, saves model.zip and the test
// images' scores for app 2, which scores the same images without libtorch.
// Usage: Trainer <work folder>. Exit 0 when the model is better than chance by a wide margin.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers;

var work = args[0];
var folder = Path.Combine(work, "images");
WriteImages(folder);

var mlContext = new MLContext(seed: 0).RegisterStnComponents();
var images = mlContext.Data.LoadFromImageFolder(folder);
var split = mlContext.Data.StratifiedSplit(images, validationFraction: 0.15, testFraction: 0.25);
var load = mlContext.Transforms.Conversion.MapValueToKey("Label")
    .Append(mlContext.Transforms.LoadImages("Image", imageFolder: null, "ImagePath"));
var validation = load.Fit(split.Train).Transform(split.Validation);
var model = load
    .Append(mlContext.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
    {
        ValidationSet = validation,
        Training = { Epochs = 8, BatchSize = 20, EarlyStoppingPatience = 0 },
    }))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"))
    .Fit(split.Train);
var scored = model.Transform(split.Test);
var metrics = mlContext.MulticlassClassification.Evaluate(scored);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trainer: test accuracy {metrics.MicroAccuracy:F4} on {split.Test.GetRowCount()} images"));
mlContext.Model.Save(model, split.Train.Schema, Path.Combine(work, "model.zip"));

var paths = scored.GetColumn<string>("ImagePath").ToList();
var scores = scored.GetColumn<float[]>("Score").ToList();
var predicted = scored.GetColumn<string>("PredictedClass").ToList();
File.WriteAllLines(Path.Combine(work, "scores.tsv"), paths.Select((p, i) =>
    $"{p}\t{predicted[i]}\t{string.Join(",", scores[i].Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}"));
return metrics.MicroAccuracy >= 0.8 ? 0 : 1;

// Three labels anyone can tell apart — stripes across, stripes down, a disc — in random colours, sizes (20-48 px) and
// positions, some grayscale, as PNG and JPEG.
static void WriteImages(string folder)
{
    var random = new Random(0);
    foreach (var label in new[] { "across", "down", "disc" })
    {
        Directory.CreateDirectory(Path.Combine(folder, label));
        for (int n = 0; n < 40; n++)
        {
            int w = random.Next(20, 49), h = random.Next(20, 49);
            bool gray = n % 4 == 0;
            byte[] fg = [(byte)random.Next(128, 256), (byte)random.Next(128, 256), (byte)random.Next(128, 256)];
            byte[] bg = [(byte)random.Next(0, 80), (byte)random.Next(0, 80), (byte)random.Next(0, 80)];
            double cx = w * (0.4 + 0.2 * random.NextDouble()), cy = h * (0.4 + 0.2 * random.NextDouble()), r = Math.Min(w, h) * 0.3;
            int period = random.Next(4, 8);
            var pixels = new byte[w * h * 4];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    bool on = label switch
                    {
                        "across" => y % period < period / 2,
                        "down" => x % period < period / 2,
                        _ => (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r,
                    };
                    var c = on ? fg : bg;
                    for (int ch = 0; ch < 3; ch++)
                        pixels[(y * w + x) * 4 + ch] = gray ? (byte)((c[0] + c[1] + c[2]) / 3) : c[ch];
                    pixels[(y * w + x) * 4 + 3] = 255;
                }
            using var image = MLImage.CreateFromPixels(w, h, MLPixelFormat.Rgba32, pixels);
            image.Save(Path.Combine(folder, label, $"{label}-{n:D2}.{(n % 3 == 0 ? "jpg" : "png")}"));
        }
    }
}
