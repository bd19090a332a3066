using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ml.Trainers;
using Ml.Trainers.Datasets;
using Ml.Trainers.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;
using TrafficSigns.Data;
using TrafficSigns.Reporting;

namespace TrafficSigns.Commands;

/// <summary>
/// The default run, Model Builder style: load traffic-sign images → map labels to keys → train an IC-STN with linearized
/// sampling at 4× downsampling → evaluate on held-out tracks → save the model → reload it in a fresh MLContext and score
/// a few images. Writes the model, curves, rectified examples, a confusion matrix and a summary to the output folder.
/// </summary>
internal static class TrainCommand
{
    public sealed class Input
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    public sealed class Output
    {
        public float[] Score { get; set; } = [];
        public string PredictedClass { get; set; } = "";
    }

    public static int Run(CommandLine options, CancellationToken cancellation)
    {
        var outputDir = options.Get("output", "output");
        int seed = options.GetInt("seed", 0);
        var settings = new StnImageClassificationOptions
        {
            Architecture = options.GetEnum("architecture", SpatialArchitecture.InverseCompositionalStn),
            Sampler = options.GetEnum("sampler", SamplingMode.Linearized),
            Downsampling = options.GetInt("downsampling", 4),
            Epochs = options.GetInt("epochs", 30),
            BatchSize = options.GetInt("batch", 100),
            LearningRate = double.Parse(options.Get("learning-rate", "0.003"), CultureInfo.InvariantCulture),
            Device = options.GetEnum("device", ComputeDevice.Auto),
            Seed = seed,
            RectifiedColumnName = "Rectified",
            CancellationToken = cancellation,
        };
        Directory.CreateDirectory(outputDir);
        var clock = Stopwatch.StartNew();

        // Data: --data, ../shared/data/gtsrb, the download cache, a download, or the built-in subset (DataSourceResolver).
        // With the official test set: test on it, validate (keep-best) on 20 % held-out tracks. Without: whole tracks on
        // each side (test 20 %; validation 10 % of the rest).
        var source = DataSourceResolver.Resolve(DataSourceOptions.FromCommandLine(options), new ConsoleDownloadDisplay(), cancellation);
        AnsiConsole.WriteLine(source.Message);
        var root = source.TrainingRoot;
        var samples = TrafficSignData.Read(root, options.GetInt("tracks", 0));
        IReadOnlyList<GtsrbSample> trainSamples, validationSamples, testSamples;
        if (source.OfficialTestRoot is { } officialTest)
        {
            testSamples = GtsrbTestReader.Read(officialTest);
            (trainSamples, validationSamples) = TrackSplit.Split(samples, 0.2, seed);
        }
        else
        {
            var (rest, heldOut) = TrackSplit.Split(samples, 0.2, seed);
            testSamples = heldOut;
            (trainSamples, validationSamples) = TrackSplit.Split(rest, 0.1, seed);
        }
        var testName = source.OfficialTestRoot is null ? "held-out tracks" : "official GTSRB test set";
        AnsiConsole.MarkupLine($"Data: [bold]{Markup.Escape(Path.GetFullPath(root))}[/] — {samples.Count} images, {samples.Select(s => s.ClassId).Distinct().Count()} classes; " +
            $"train {trainSamples.Count}, validation {validationSamples.Count} (held-out tracks), test {testSamples.Count} ({testName}).");
        // One PNG cache per data folder: the built-in subset and the official set share file names, not pixels.
        var folderKey = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root))))[..12].ToLowerInvariant();
        var cache = Path.Combine(outputDir, "cache", "png", folderKey);
        var train = TrafficSignData.AsPng(trainSamples, cache);
        var validation = TrafficSignData.AsPng(validationSamples, cache);
        var test = TrafficSignData.AsPng(testSamples, cache);

        var mlContext = new MLContext(seed).RegisterStnComponents();
        IDataView Rows(IEnumerable<TrafficSignImage> images) =>
            mlContext.Data.LoadFromEnumerable(images.Select(i => new Input { ImagePath = i.ImagePath, Label = i.Label }));
        var trainRows = Rows(train);
        var preprocessing = mlContext.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(mlContext.Transforms.Conversion.MapValueToKey("Label"));
        settings.ValidationSet = preprocessing.Fit(trainRows).Transform(Rows(validation));
        var pipeline = preprocessing
            .Append(mlContext.MulticlassClassification.Trainers.StnImageClassification(settings))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

        // libtorch's numerics on this machine: checked once, before the first training step (the trainer reuses the result).
        var numerics = TorchNumerics.EnsureChecked(ComputeDevices.Resolve(settings.Device));
        AnsiConsole.MarkupLine(numerics.Path == ConvolutionPath.Default ? Markup.Escape(numerics.Summary) : $"[yellow]{Markup.Escape(numerics.Summary)}[/]");
        AnsiConsole.MarkupLine($"Training {settings.Architecture}, {settings.Sampler} sampler, {settings.Downsampling}× downsampling, {settings.Epochs} epochs (Ctrl+C stops cleanly).");
        var history = new List<EpochMetrics>();
        ITransformer model = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("epoch 1", maxValue: settings.Epochs);
                settings.Progress = p =>
                {
                    task.Value = p.Epoch - 1 + (double)p.Batch / p.Batches;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} acc {p.Accuracy:P1} {p.ImagesPerSecond:F0} img/s");
                    if (p.CompletedEpoch is { } m)
                        history.Add(m);
                };
                model = pipeline.Fit(trainRows);
                task.Value = settings.Epochs;
            });

        // Evaluate on the held-out tracks.
        var scored = model.Transform(Rows(test));
        var metrics = mlContext.MulticlassClassification.Evaluate(scored);
        if (!double.IsFinite(metrics.LogLoss) || scored.GetColumn<float[]>("Score").Any(row => row.Any(v => !float.IsFinite(v))))
            throw new InvalidOperationException("The trained model gives non-finite scores on the test images, so its metrics mean nothing; no model was saved. " +
                "Lower --learning-rate and check the images.");
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Test: micro accuracy [bold]{metrics.MicroAccuracy:P2}[/], macro accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F3} on {test.Count} images ({testName})."));

        // Save, reload in a fresh context, score a few images.
        var modelPath = Path.Combine(outputDir, "model.zip");
        AtomicFile.Write(modelPath, stream => mlContext.Model.Save(model, trainRows.Schema, stream));
        var scoring = new MLContext().RegisterStnComponents();
        var loaded = scoring.Model.Load(modelPath, out _);
        var engine = scoring.Model.CreatePredictionEngine<Input, Output>(loaded);
        var table = new Table().AddColumns("image", "true class", "predicted class", "confidence");
        foreach (var image in test.Where((_, i) => i % Math.Max(1, test.Count / 8) == 0).Take(8))
        {
            var prediction = engine.Predict(new Input { ImagePath = image.ImagePath, Label = image.Label });
            table.AddRow(Markup.Escape(Path.GetFileName(image.ImagePath)), Markup.Escape(image.Label), Markup.Escape(prediction.PredictedClass),
                prediction.Score.Max().ToString("P1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);

        // Files.
        Charts.TrainingCurves(history, Path.Combine(outputDir, "training-curves.png"));
        WriteRectifiedGrid(scored, testSamples, settings, Path.Combine(outputDir, "rectified.png"));
        var confusion = ConfusionMarkdown(metrics.ConfusionMatrix, scored);
        AtomicFile.WriteAllText(Path.Combine(outputDir, "confusion-matrix.md"), confusion);
        AtomicFile.WriteAllText(Path.Combine(outputDir, "summary.md"), Summary(root, samples.Count, train.Count, validation.Count, test.Count, testName, settings, history, metrics, clock.Elapsed));
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(outputDir))}: model.zip, training-curves.png, rectified.png, confusion-matrix.md, summary.md ({clock.Elapsed.TotalMinutes:F1} min).");
        return 0;
    }

    private static void WriteRectifiedGrid(IDataView scored, IReadOnlyList<GtsrbSample> samples, StnImageClassificationOptions settings, string path)
    {
        var rectified = scored.GetColumn<float[]>("Rectified").Take(8).ToList();
        var pick = samples.Take(rectified.Count).ToList();
        using var inputs = GtsrbTensors.ToImageTensor(pick, settings.ImageHeight, settings.ImageWidth);
        int size = settings.ImageHeight * settings.ImageWidth * 3, outSize = settings.ImageWidth / settings.Downsampling;
        var pixels = inputs.contiguous().data<float>().ToArray();
        ImageGrid.Save(
        [
            pick.Select((_, i) => (pixels.AsSpan(i * size, size).ToArray(), settings.ImageWidth, settings.ImageHeight)).ToList(),
            rectified.Select(r => (r, outSize, outSize)).ToList(),
        ], path);
    }

    private static string ConfusionMarkdown(ConfusionMatrix matrix, IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref names);
        var labels = names.DenseValues().Select(n => n.ToString()).ToList();
        var text = new StringBuilder("# Confusion matrix (test tracks)\n\nRows: true class; columns: predicted class index (see the first column); per-class recall and precision.\n\n");
        text.Append("| # | class | recall | precision | " + string.Join(" | ", Enumerable.Range(0, matrix.NumberOfClasses)) + " |\n");
        text.Append("|---|---|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", matrix.NumberOfClasses)) + "\n");
        for (int i = 0; i < matrix.NumberOfClasses; i++)
            text.Append(CultureInfo.InvariantCulture, $"| {i} | {(i < labels.Count ? labels[i] : "?")} | {matrix.PerClassRecall[i]:F3} | {matrix.PerClassPrecision[i]:F3} | ")
                .Append(string.Join(" | ", matrix.Counts[i].Select(c => c.ToString(CultureInfo.InvariantCulture)))).Append(" |\n");
        return text.ToString();
    }

    private static string Summary(string root, int all, int train, int validation, int test, string testName, StnImageClassificationOptions s,
        IReadOnlyList<EpochMetrics> history, MulticlassClassificationMetrics metrics, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        # Traffic signs — {s.Architecture}, {s.Sampler} sampler, {s.Downsampling}× downsampling

        - Data: {Path.GetFullPath(root)} — {all} images; train {train}, validation {validation} (whole tracks per side), test {test} ({testName}).
        - Training: {s.Epochs} epochs of {s.Optimizer} ({s.Schedule} schedule, {s.WarmupEpochs} warm-up epoch(s)), batch {s.BatchSize}, learning rate {s.LearningRate} / predictor {(s.GeometricLearningRate?.ToString(CultureInfo.InvariantCulture) ?? "default (a tenth for Adam)")}{(s.Optimizer == TrainingOptimizer.Sgd ? $", momentum {s.Momentum}" : "")}, weight decay {s.WeightDecay}, perturbation σ {s.PerturbationStrength}, seed {s.Seed}; best validation epoch kept.
        - Test ({testName}): micro accuracy **{metrics.MicroAccuracy:P2}**, macro accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F3}.
        - Run time: {elapsed.TotalMinutes:F1} min.

        | epoch | loss | train accuracy | validation accuracy | images/s |
        |---:|---:|---:|---:|---:|
        {string.Join("\n", history.Select(m => $"| {m.Epoch} | {m.Loss:F4} | {m.TrainingAccuracy:P2} | {m.ValidationAccuracy:P2} | {m.ImagesPerSecond:F0} |"))}

        Files: model.zip (ML.NET model; load with `new MLContext().RegisterStnComponents()`), training-curves.png,
        rectified.png (top: test inputs; bottom: what the classifier saw after the spatial transformer), confusion-matrix.md.
        """);
}
