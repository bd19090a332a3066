#:project ../../src/Ml.Trainers/Ml.Trainers.csproj
#:property TargetFramework=net10.0
#:property PublishAot=false
// In-process batch scoring, the baseline of the scoring service's batch requests (scripts/load-test.sh): loads a saved
// model and scores image FILES with one model.Transform per batch (LoadImages → the model's chain), as the TrafficSigns
// sample's score command does, and prints images per second.
// usage: dotnet run scripts/serving/InProcessBatch.cs -- <model.zip> <image> <batch size> <batches>
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using InProcessBatch;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: InProcessBatch.cs <model.zip> <image> <batch size> <batches>");
    return 2;
}
string modelPath = args[0], image = Path.GetFullPath(args[1]);
int batchSize = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), batches = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var ml = new MLContext().RegisterStnComponents();
var model = ml.Model.Load(modelPath, out _);
var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, batchSize).Select(_ => new Row { ImagePath = image, Label = "" }));
int Score() => model.Transform(rows).GetColumn<float[]>("Score").Count();
for (int i = 0; i < 3; i++)
    Score();   // warm-up
var clock = Stopwatch.StartNew();
long scored = 0;
for (int i = 0; i < batches; i++)
    scored += Score();
double seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(FormattableString.Invariant($"in-process batch scoring: {scored} images in {batches} Transform calls of {batchSize}: {scored / seconds:F0} images/s ({1000 * seconds / batches:F1} ms per batch)"));
return 0;

namespace InProcessBatch
{
    public sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
