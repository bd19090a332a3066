using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: ScoringHost <model.zip> <rows.tsv> <output.tsv>
//   rows.tsv: header "ImagePath<TAB>Label". Writes, for every row, the Score bits and PredictedLabel key from Transform
//   (batch) and from a PredictionEngine, so the caller can compare bit for bit.
// Or:    ScoringHost vector <model.zip> <rows.tsv> <inputColumn> <size> <outputColumn> <output.tsv>
//   rows.tsv: no header, <size> floats per line. Writes the output vector's bits per row (a WarpImages or AlignImages model).
// Or:    ScoringHost threads <model.zip> <rows.tsv> <threads> <rounds>
//   One PredictionEngine per thread (ML.NET's rule: an engine is not thread-safe), each thread scoring every row <rounds>
//   times; prints "mismatches: N" against one engine's sequential scores. A crash shows as the process dying.
if (args.Length == 7 && args[0] == "vector")
    return ScoreVectors(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), args[5], args[6]);
if (args.Length == 5 && args[0] == "threads")
    return ScoreOnThreads(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ScoringHost <model.zip> <rows.tsv> <output.tsv> | vector <model.zip> <rows.tsv> <inputColumn> <size> <outputColumn> <output.tsv>");
    return 2;
}
var mlContext = new MLContext(seed: 0).RegisterStnComponents();
var model = mlContext.Model.Load(args[0], out _);
var rows = mlContext.Data.LoadFromTextFile<Row>(args[1], separatorChar: '\t', hasHeader: true);
var lines = new List<string>();

var scored = model.Transform(rows);
var scores = scored.GetColumn<float[]>("Score").ToList();
var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
for (int i = 0; i < scores.Count; i++)
    lines.Add(Line("transform", i, keys[i], scores[i]));

var engine = mlContext.Model.CreatePredictionEngine<Row, Prediction>(model);
int n = 0;
foreach (var row in mlContext.Data.CreateEnumerable<Row>(rows, reuseRowObject: false))
{
    var p = engine.Predict(row);
    lines.Add(Line("engine", n++, p.PredictedLabel, p.Score));
}
bool torchLoaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "TorchSharp")
    && System.Diagnostics.Process.GetCurrentProcess().Modules.Cast<System.Diagnostics.ProcessModule>().Any(m => m.ModuleName.Contains("torch", StringComparison.OrdinalIgnoreCase));
lines.Add("libtorch-loaded\t" + torchLoaded);
File.WriteAllLines(args[2], lines);
return 0;

static int ScoreVectors(string zip, string tsv, string inputColumn, int size, string outputColumn, string output)
{
    var ml = new MLContext(seed: 0);
    var model = ml.Model.Load(zip, out _);
    var loader = ml.Data.CreateTextLoader([new TextLoader.Column(inputColumn, DataKind.Single, 0, size - 1)], separatorChar: '\t', hasHeader: false);
    var rows = model.Transform(loader.Load(tsv)).GetColumn<float[]>(outputColumn)
        .Select(v => string.Join('\t', v.Select(x => BitConverter.SingleToInt32Bits(x).ToString("x8", CultureInfo.InvariantCulture))));
    File.WriteAllLines(output, rows);
    return 0;
}

static int ScoreOnThreads(string zip, string tsv, int threads, int rounds)
{
    var ml = new MLContext(seed: 0).RegisterStnComponents();
    var model = ml.Model.Load(zip, out _);
    var rows = ml.Data.CreateEnumerable<Row>(ml.Data.LoadFromTextFile<Row>(tsv, separatorChar: '\t', hasHeader: true), reuseRowObject: false).ToList();
    var sequential = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
    var expected = rows.Select(r => sequential.Predict(r).Score.ToArray()).ToList();
    using var engines = new ThreadLocal<PredictionEngine<Row, Prediction>>(() => ml.Model.CreatePredictionEngine<Row, Prediction>(model));
    int mismatches = 0;
    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
    {
        for (int round = 0; round < rounds; round++)
            for (int i = 0; i < rows.Count; i++)
                if (!engines.Value!.Predict(rows[i]).Score.SequenceEqual(expected[i]))
                    Interlocked.Increment(ref mismatches);
    });
    Console.WriteLine($"scored {threads * rounds * rows.Count} rows on {threads} threads, one engine each; mismatches: {mismatches}");
    return 0;
}

static string Line(string kind, int row, uint key, float[] score) =>
    string.Join('\t', [kind, row.ToString(CultureInfo.InvariantCulture), key.ToString(CultureInfo.InvariantCulture),
        .. score.Select(s => BitConverter.SingleToInt32Bits(s).ToString("x8", CultureInfo.InvariantCulture))]);

internal sealed class Row
{
    [LoadColumn(0)] public string ImagePath { get; set; } = "";
    [LoadColumn(1)] public string Label { get; set; } = "";
}

internal sealed class Prediction
{
    public float[] Score { get; set; } = [];
    public uint PredictedLabel { get; set; }
}
