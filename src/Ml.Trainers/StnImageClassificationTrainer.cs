using Ml.Transforms.Training;
using Ml.Trainers.MlNet;
using Ml.Transforms.MlNet;
using Ml.Trainers.Training;
using Ml.Trainers.Data;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Trainers;

/// <summary>
/// Trains a spatial-transformer image classifier (STN, IC-STN or the plain CNN baseline; linearized multi-sampling by
/// default) on an image column and a key-typed label column. <see cref="Fit"/> returns a chain of ML.NET's own
/// transformers around the network's ONNX inference graph, so the model saves, loads and scores with ML.NET's public API
/// in any process — without libtorch. Output columns as every ML.NET multiclass trainer: <c>Score</c> (one probability
/// per class, slot i = key value i + 1) and <c>PredictedLabel</c> (a scalar key with the training label's key values).
/// <para>A row that cannot be scored — a NaN or infinite pixel, or a warp or score that comes out NaN or infinite — gets
/// NaN in every <c>Score</c> slot (and in the optional Warp and Rectified columns) and the missing key 0 as
/// <c>PredictedLabel</c>, never a class. ML.NET's <c>MulticlassClassification.Evaluate</c> leaves rows with NaN scores out
/// of every metric without a word (measured with ML.NET 5.0.1 and 6.0.0: log-loss, accuracies and the confusion matrix equal those
/// of the other rows alone), so count the rows whose <c>PredictedLabel</c> is 0 before trusting the metrics.</para>
/// <para>The graph can be served without ML.NET: <see cref="Export.StnOnnxGraph.Read(string)"/> takes it out of a saved
/// zip with its input/output names, shapes and pixel preprocessing (README, "Scoring at scale").</para>
/// </summary>
public sealed class StnImageClassificationTrainer : IEstimator<ITransformer>, IDisposable
{
    private readonly MLContext mlContext;
    private readonly StnImageClassificationOptions options;

    /// <summary>Use <c>mlContext.MulticlassClassification.Trainers.StnImageClassification(...)</c>.</summary>
    internal StnImageClassificationTrainer(MLContext mlContext, StnImageClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.mlContext = mlContext;
        this.options = options;
    }

    /// <summary>The TorchSharp network of the last <see cref="Fit"/> (for continued training or inspection); null before.</summary>
    public SpatialClassifier? TrainedNetwork { get; private set; }

    /// <summary>
    /// The images the last <see cref="Fit"/> left out because they could not be decoded (an image column of paths: a
    /// damaged, truncated, empty or missing file; each also in <c>mlContext.Log</c>), training's then validation's, by
    /// row; empty before the first Fit and when every image was read.
    /// </summary>
    public IReadOnlyList<SkippedFile> SkippedImages { get; private set; } = [];

    /// <summary>What the last <see cref="Fit"/> did: the metrics of every epoch, and the epoch whose weights the model holds; null before.</summary>
    public (IReadOnlyList<EpochMetrics> History, int BestEpoch)? TrainingResult { get; private set; }

    /// <summary>
    /// The ONNX inference graph of the last <see cref="Fit"/> (also embedded in the returned model; describe it with
    /// <see cref="Export.StnOnnxGraph.FromOnnxModel"/>). The graph records its own SHA-256 (metadata entry
    /// <c>mllinearized.graph_sha256</c>); <see cref="StnModelFile.Verify(string)"/> checks it, and every zip entry's CRC-32,
    /// before <c>mlContext.Model.Load</c>, which checks neither.
    /// </summary>
    public byte[]? OnnxModel { get; private set; }

    /// <summary>Trains the network and returns the scoring model.</summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var image = ResolveImage(input.Schema, "training data");
        var label = LabelColumn.Resolve(input.Schema, options.LabelColumnName, "training data");
        using var log = new TrainingLog(mlContext, options.Progress);
        var token = options.CancellationToken;

        using var scope = NewDisposeScope();
        var trainingRows = PixelRowIndex.Read(input, image, label.Name, "training data", token);
        PixelInput? validationImage = null;
        PixelRowIndex? validationRows = null;
        if (options.ValidationSet is { } validation)
        {
            validationImage = ResolveImage(validation.Schema, "validation set");
            var validationLabel = LabelColumn.Resolve(validation.Schema, options.LabelColumnName, "validation set");
            if (validationLabel.ClassCount != label.ClassCount || !validationLabel.ClassLabels.SequenceEqual(label.ClassLabels))
                throw new ArgumentException(
                    $"The validation set's label column '{options.LabelColumnName}' has other key values than the training data's ({validationLabel.ClassCount} vs {label.ClassCount} classes). Map both with the same MapValueToKey transformer (fit once, apply to both).");
            validationRows = PixelRowIndex.Read(validation, validationImage, validationLabel.Name, "validation set", token);
        }
        var trainingSource = PixelSource.Create(mlContext, input, image, trainingRows, "training data");
        var validationSource = validationRows is null ? null : PixelSource.Create(mlContext, options.ValidationSet!, validationImage!, validationRows, "validation set");
        long pixelBytes = (long)trainingRows.Count * trainingSource.RowBytes + (long)(validationRows?.Count ?? 0) * (validationSource?.RowBytes ?? 0);
        bool keep = pixelBytes <= (long)options.InMemoryLimitMegabytes << 20;
        using var training = new PixelBatches(trainingSource, keep, labelled: true);
        using var validating = validationSource is null ? null : new PixelBatches(validationSource, keep, labelled: true);
        log.Info($"Training {options.Architecture} ({options.Transformer.Sampler}, {options.Transformer.Warp}, {options.Transformer.Downsampling}× downsampling) on {trainingRows.Count} images of {label.ClassCount} classes" +
            (validationRows is null ? "" : $", validating on {validationRows.Count}") + $", device {ComputeDevices.Resolve(options.Training.Device)}; " +
            FormattableString.Invariant($"{pixelBytes / 1048576.0:F0} MB of input, ") +
            (keep ? "kept in memory once read" : $"streamed (read again every epoch: more than InMemoryLimitMegabytes, {options.InMemoryLimitMegabytes})") + ".");

        manual_seed(options.Training.Seed);
        var network = new SpatialClassifier(options.ToModelOptions(label.ClassCount));
        var trainingOptions = options.Training.Clone();
        var userLog = trainingOptions.Log;
        trainingOptions.Log = message =>
        {
            log.Info(message);
            userLog?.Invoke(message);
        };
        (IReadOnlyList<EpochMetrics> History, int BestEpoch) result;
        try
        {
            if (options.InitialWeightsPath is { } weights)
                InitialWeights.Load(network, weights);
            result = TrainingEngine.Train(network, training, validating, trainingOptions, log.Report, token);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            SkippedImages = Skipped(trainingSource, validationSource, log);
        }

        network.to(CPU);
        network.eval();
        var renamed = ScoringGraph.Export(network, image, label, options);
        var model = ScoringPipeline.Build(mlContext, input, image, label, options, renamed);
        TrainedNetwork?.Dispose();
        TrainedNetwork = network;
        TrainingResult = result;
        OnnxModel = renamed;
        return model;
    }

    private PixelInput ResolveImage(DataViewSchema schema, string dataName) =>
        PixelInput.Resolve(schema, options.ImageColumnName, nameof(options.ImageColumnName), options.Transformer.Channels, options.Transformer.ImageHeight, options.Transformer.ImageWidth,
            StnColumnNames.Pixels, dataName, acceptPaths: true);

    /// <summary>The images the sources could not read, as <see cref="SkippedFile"/>s, each also written to the log.</summary>
    private static IReadOnlyList<SkippedFile> Skipped(PixelSource training, PixelSource? validation, TrainingLog log)
    {
        var skipped = new List<SkippedFile>();
        foreach (var (source, part) in new[] { (training, "training"), (validation, "validation") })
        {
            if (source is null) continue;
            foreach (var (_, name, reason) in source.Unreadable)
            {
                skipped.Add(new SkippedFile(name, reason, SkipKind.Unreadable));
                log.Info($"Left out of {part}: {reason}");
            }
        }
        return skipped;
    }

    /// <summary>
    /// Frees the native memory of <see cref="TrainedNetwork"/> (a TorchSharp module) and forgets it. The models
    /// <see cref="Fit"/> returned keep working: they score with their own ONNX graph. Fit again to train anew.
    /// </summary>
    public void Dispose()
    {
        TrainedNetwork?.Dispose();
        TrainedNetwork = null;
    }

    /// <summary>Saves the TorchSharp weights of the last trained network (TorchSharp's format), for <see cref="StnImageClassificationOptions.InitialWeightsPath"/>.</summary>
    public void SaveWeights(string path)
    {
        var network = TrainedNetwork ?? throw new InvalidOperationException("Nothing trained yet: call Fit first.");
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temporary = path + ".tmp";
        network.save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The output schema: the input's columns plus Score (float vector) and PredictedLabel (scalar key), and the optional columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = inputSchema.FirstOrDefault(c => c.Name == options.LabelColumnName);
        if (label.Name is null)
            throw new ArgumentException($"The input has no label column '{options.LabelColumnName}'.", nameof(inputSchema));
        if (!label.IsKey)
            throw new ArgumentException($"Label column '{options.LabelColumnName}' must be a key type (use MapValueToKey).", nameof(inputSchema));
        if (!inputSchema.Any(c => c.Name == options.ImageColumnName))
            throw new ArgumentException($"The input has no image column '{options.ImageColumnName}'.", nameof(inputSchema));
        return OutputSchemaShape.Add(mlContext, inputSchema, options);
    }
}
