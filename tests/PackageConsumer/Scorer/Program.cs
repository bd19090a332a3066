// Package consumer test, app 2 (scripts/package-test.sh copies this file into a NEW console app that references the
// MlLinearized packages and NO libtorch backend). It loads app 1's model.zip and scores the same test images, the way
// the package readme shows, and checks it gets app 1's scores.
// Usage: Scorer <work folder>. Exit 0 when every score matches to 1e-5 and every predicted label is the same.
using System.Globalization;
using Microsoft.ML;
using Ml.Trainers;

var work = args[0];
// libtorch itself (libtorch_cpu / torch_cpu, c10), not TorchSharp's small LibTorchSharp shim, which the managed package carries.
string[] libtorch = ["libtorch.", "libtorch_cpu.", "torch_cpu.", "libc10.", "c10."];
var native = Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
    .Where(f => libtorch.Any(n => Path.GetFileName(f).StartsWith(n, StringComparison.OrdinalIgnoreCase))).ToList();
if (native.Count > 0)
{
    Console.WriteLine($"scorer: a libtorch library is in the app's output, so this does not prove scoring without it: {native[0]}");
    return 1;
}

var mlContext = new MLContext().RegisterStnComponents();
var model = mlContext.Model.Load(Path.Combine(work, "model.zip"), out _);
var engine = mlContext.Model.CreatePredictionEngine<Input, Output>(model);
int rows = 0, labelsDiffer = 0;
double worst = 0;
foreach (var line in File.ReadAllLines(Path.Combine(work, "scores.tsv")))
{
    var parts = line.Split('\t');
    var expected = parts[2].Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    var output = engine.Predict(new Input { ImagePath = parts[0] });
    worst = Math.Max(worst, expected.Zip(output.Score, (a, b) => (double)Math.Abs(a - b)).DefaultIfEmpty(double.PositiveInfinity).Max());
    if (output.Score.Length != expected.Length || output.PredictedClass != parts[1])
        labelsDiffer++;
    rows++;
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scorer: {rows} images scored without libtorch; largest score difference {worst:G3}; {labelsDiffer} predicted labels differ"));
return rows > 0 && worst <= 1e-5 && labelsDiffer == 0 ? 0 : 1;

sealed class Input
{
    public string ImagePath { get; set; } = "";
    public string Label { get; set; } = "";
}

sealed class Output
{
    public float[] Score { get; set; } = [];
    public string PredictedClass { get; set; } = "";
}
