using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Ml.Trainers;
using TrafficSigns.Experiments.Gtsrb;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;

namespace Benchmarks;

/// <summary>
/// Scoring throughput (issue "Step 3") of a SAVED AND RELOADED ML.NET model: GlobalSetup trains one epoch through
/// <c>StnImageClassification</c> (pixel-vector input, 4× downsampling, CPU), saves the zip, and loads it into a new
/// MLContext. Benchmarks score <see cref="RowCount"/> rows: a batch <c>Transform</c> fully consumed, and a
/// <c>PredictionEngine</c> row by row. For where the time goes, the same ONNX graph is also run directly through
/// ONNX Runtime, once as one batch of all rows and once row by row (what ApplyOnnxModel does).
/// </summary>
[Config(typeof(Config))]
public class ScoringBenchmarks
{
    /// <summary>Rows scored per invocation.</summary>
    public const int RowCount = 2000;

    private const int PixelCount = 3 * 32 * 32;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new ThroughputColumn(() => RowCount));
            WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        }
    }

    [Params(SpatialArchitecture.InverseCompositionalStn, SpatialArchitecture.None)]
    public SpatialArchitecture Architecture { get; set; }

    public sealed class Row
    {
        [VectorType(PixelCount)]
        public float[] Image { get; set; } = [];

        public string Label { get; set; } = "";
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    private string _zip = "";
    private ITransformer _model = null!;
    private IDataView _data = null!;
    private List<Row> _rows = null!;
    private PredictionEngine<Row, Prediction> _engine = null!;
    private InferenceSession _session = null!;
    private string _inputName = "";
    private float[] _pixels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var samples = BenchmarkData.Samples();
        using var images = GtsrbTensors.ToImageTensor(samples, 32, 32);
        var pixels = images.reshape(samples.Count, PixelCount).data<float>().ToArray();
        var all = samples.Select((s, i) => new Row { Image = pixels.AsSpan(i * PixelCount, PixelCount).ToArray(), Label = s.ClassId.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();

        // Train once (1 epoch on the whole subset), save, and load into a fresh context.
        var training = new MLContext(seed: 0);
        var trainer = training.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
        {
            Architecture = Architecture,
            Transformer = { Downsampling = 4 },
            Training = { Epochs = 1, Device = ComputeDevice.Cpu },
        });
        var trainData = training.Data.LoadFromEnumerable(all);
        var fitted = training.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(trainData);
        _zip = Path.Combine(Path.GetTempPath(), $"scoring-benchmark-{Architecture}-{Environment.ProcessId}.zip");
        training.Model.Save(fitted, trainData.Schema, _zip);

        var scoring = new MLContext(seed: 0).RegisterStnComponents();
        var shuffle = new Random(0);
        _model = scoring.Model.Load(_zip, out _);
        _rows = all.OrderBy(_ => shuffle.Next()).Take(RowCount).ToList();
        if (_rows.Count != RowCount) throw new InvalidOperationException($"Only {_rows.Count} rows; need {RowCount}.");
        _data = scoring.Data.LoadFromEnumerable(_rows);
        _engine = scoring.Model.CreatePredictionEngine<Row, Prediction>(_model);

        // The network's ONNX graph alone, through ONNX Runtime with default session options.
        _session = new InferenceSession(trainer.OnnxModel!);
        _inputName = _session.InputMetadata.Keys.Single();
        _pixels = _rows.SelectMany(r => r.Image).ToArray();
        Console.WriteLine($"// {Architecture}: trained on {all.Count} images, model zip {new FileInfo(_zip).Length:N0} bytes, ONNX input '{_inputName}' " +
            $"[{string.Join(", ", _session.InputMetadata[_inputName].Dimensions)}], outputs {string.Join(", ", _session.OutputMetadata.Keys)}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _session.Dispose();
        (_model as IDisposable)?.Dispose();
        File.Delete(_zip);
    }

    /// <summary>The loaded model's <c>Transform</c> over all rows, every Score vector materialised.</summary>
    [Benchmark(Baseline = true)]
    public float BatchTransform()
    {
        float sum = 0;
        int count = 0;
        foreach (var score in _model.Transform(_data).GetColumn<float[]>("Score"))
        {
            sum += score[0];
            count++;
        }
        if (count != RowCount) throw new InvalidOperationException($"Scored {count} rows.");
        return sum;
    }

    /// <summary>A <c>PredictionEngine</c> over the same rows, one <c>Predict</c> each.</summary>
    [Benchmark]
    public float PredictionEngine()
    {
        float sum = 0;
        foreach (var row in _rows)
            sum += _engine.Predict(row).Score[0];
        return sum;
    }

    /// <summary>Diagnostic: the ONNX graph alone, one ONNX Runtime run of all rows as one batch.</summary>
    [Benchmark]
    public float OnnxRuntimeOneBatch() => RunOnnx(0, RowCount);

    /// <summary>Diagnostic: the ONNX graph alone, one ONNX Runtime run per row (as ApplyOnnxModel does).</summary>
    [Benchmark]
    public float OnnxRuntimePerRow()
    {
        float sum = 0;
        for (int i = 0; i < RowCount; i++)
            sum += RunOnnx(i, 1);
        return sum;
    }

    private float RunOnnx(int first, int count)
    {
        var input = new DenseTensor<float>(_pixels.AsMemory(first * PixelCount, count * PixelCount), [count, PixelCount]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, input)]);
        float sum = 0;
        foreach (var result in results)
            if (result.Value is Tensor<float> scores)
            {
                sum += scores.GetValue(0);
                break;
            }
        return sum;
    }
}
