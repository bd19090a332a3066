#:project ../../src/Ml.Trainers/Ml.Trainers.csproj
#:property TargetFramework=net10.0
#:property PublishAot=false
// In-process batch scoring, the baseline of the scoring service's batch requests (scripts/load-test.sh): loads a saved
// model and scores image FILES with one model.Transform per batch (LoadImages → the model's chain), as the TrafficSigns
// sample's score command does, and prints images per second. ONNX Runtime threads: 0 = its defaults (what offline
// scoring uses), 1 = the scoring service's default (one thread per call, no spinning).
// usage: dotnet run scripts/serving/InProcessBatch.cs -- <model.zip> <image> <batch size> <batches> [onnx threads]
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using InProcessBatch;

if (args.Length is not (4 or 5))
{
    Console.Error.WriteLine("usage: InProcessBatch.cs <model.zip> <image> <batch size> <batches> [onnx threads]");
    return 2;
}
string modelPath = args[0], image = Path.GetFullPath(args[1]);
int batchSize = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), batches = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
int onnxThreads = args.Length == 5 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0;
var ml = new MLContext().RegisterStnComponents();
if (onnxThreads > 0)
    ml.SetOnnxSessionOption(new OnnxSessionOptions
    {
        CreateSessionOptions = () =>
        {
            var options = new SessionOptions { IntraOpNumThreads = onnxThreads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            return options;
        },
    });
var model = ml.Model.Load(modelPath, out _);
var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, batchSize).Select(_ => new Row { ImagePath = image, Label = "" }));
int Score() => model.Transform(rows).GetColumn<float[]>("Score").Count();
for (int i = 0; i < 3; i++)
    Score();   // warm-up
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
long scored = 0;
for (int i = 0; i < batches; i++)
    scored += Score();
double seconds = clock.Elapsed.TotalSeconds;
double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
Console.WriteLine(FormattableString.Invariant($"in-process batch scoring ({(onnxThreads > 0 ? $"ONNX Runtime {onnxThreads} thread, no spinning" : "ONNX Runtime defaults")}): {scored} images in {batches} Transform calls of {batchSize}: {scored / seconds:F0} images/s ({1000 * seconds / batches:F1} ms per batch), {cpuMs / scored:F2} CPU ms per image"));
return 0;

namespace InProcessBatch
{
    public sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
