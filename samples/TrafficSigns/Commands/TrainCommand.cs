using System.Diagnostics;
using System.Globalization;
using Ml.Trainers;
using Ml.Transforms.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Cli;
using TrafficSigns.Data;
using TrafficSigns.Reporting;
using TrafficSigns.Training;

namespace TrafficSigns.Commands;

/// <summary>
/// The train command, Model Builder style: map labels to keys → train a spatial-transformer classifier on the image paths (it decodes each file once)
/// with linearized sampling → evaluate on the test part → save the model → reload it in a fresh MLContext and score a
/// few images. Data: your own images (<c>--images</c>, one subfolder per label; <see cref="ImageFolderTrainingSet"/>) or
/// traffic signs (<see cref="TrafficSignTrainingSet"/>: GTSRB in the Kaggle layout). Writes the model, curves, rectified examples, a confusion matrix and a
/// summary to the output folder.
/// </summary>
internal sealed class TrainCommand : Command<TrainSettings>
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

    public override int Execute(CommandContext context, TrainSettings options, CancellationToken cancellation)
    {
        if (NumericsRestart.RunCheckAndMaybeRestart(CommandLine.Arguments) is int restartedExitCode)
            return restartedExitCode;
        var outputDir = options.Output;
        int seed = options.Seed;
        var clock = Stopwatch.StartNew();
        var mlContext = new MLContext(seed).RegisterStnComponents();

        // Data: read and checked in full before anything is written.
        var data = options.OwnImages ? ImageFolderTrainingSet.Load(options, mlContext, cancellation) : TrafficSignTrainingSet.Load(options, mlContext, cancellation);
        // What reading the folder allocated and dropped (each file's real path, the walk's tables, the split's and the
        // duplicate check's lists: several hundred bytes an image) is given back before training allocates its own, so
        // that peak memory does not grow with the number of images.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var settings = options.TrainerOptions(data.MedianShorterSide);
        settings.CancellationToken = cancellation;
        var dataRead = clock.Elapsed;
        AnsiConsole.MarkupLine($"Data: [bold]{Markup.Escape(data.Source)}[/]; {data.LabelCount} labels; " +
            $"train {data.Train.Count}, validation {data.Validation.Count}, test {data.Test.Count} ({Markup.Escape(data.TestName)}; {Markup.Escape(data.SplitDescription)}).");
        // The output folder is held from here to the end: a second run into it fails now, not after both have trained.
        using var output = OutputFolder.Claim(outputDir, TrainSettings.OutputFiles, refuseExisting: !options.Overwrite, "train");

        IDataView Rows(IEnumerable<LabelledImage> images) =>
            mlContext.Data.LoadFromEnumerable(images.Select(i => new Input { ImagePath = i.ImagePath, Label = i.Label }));
        var trainRows = Rows(data.Train);
        // The trainer reads the image files itself (ImageColumnName = "ImagePath"): each decoded once, strictly, in
        // parallel ahead of the training step; a file found damaged then is left out and named (trainer.SkippedImages).
        settings.ImageColumnName = nameof(Input.ImagePath);
        var labels = mlContext.Transforms.Conversion.MapValueToKey("Label");
        settings.ValidationSet = data.Validation.Count > 0 ? labels.Fit(trainRows).Transform(Rows(data.Validation)) : null;
        var trainer = mlContext.MulticlassClassification.Trainers.StnImageClassification(settings);
        var pipeline = labels
            .Append(trainer)
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

        // libtorch's numerics on this machine: checked once, before the first training step (the trainer reuses the result).
        // Auto trains on CUDA when libtorch sees a GPU (--device Cuda without one was refused with the options).
        var device = settings.Training.Device != ComputeDevice.Cpu && TorchSharp.torch.cuda.is_available() ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU;
        var numerics = TorchNumerics.EnsureChecked(device);
        AnsiConsole.MarkupLine(!numerics.OneDnnDisabled ? Markup.Escape(numerics.Summary) : $"[yellow]{Markup.Escape(numerics.Summary)}[/]");
        AnsiConsole.MarkupLine($"Training {settings.Architecture}, {settings.Transformer.Sampler} sampler, {settings.Transformer.ImageWidth}×{settings.Transformer.ImageHeight} input{InputSizeReason(options, data)}, " +
            $"{settings.Transformer.Downsampling}× downsampling, {(settings.Training.EarlyStoppingPatience > 0 ? $"up to {settings.Training.Epochs} epochs (stops after {settings.Training.EarlyStoppingPatience} without a better validation accuracy)" : $"{settings.Training.Epochs} epochs")} (Ctrl+C stops cleanly).");
        var history = new List<EpochMetrics>();
        TimeSpan? firstBatch = null;
        ITransformer model = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("epoch 1", maxValue: settings.Training.Epochs);
                settings.Progress = p =>
                {
                    firstBatch ??= clock.Elapsed;
                    task.Value = p.Epoch - 1 + (double)p.Batch / p.Batches;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} acc {p.Accuracy:P1} {p.ImagesPerSecond:F0} img/s");
                    if (p.CompletedEpoch is { } m)
                        history.Add(m);
                };
                model = pipeline.Fit(trainRows);
                task.Value = settings.Training.Epochs;
            });
        SkippedLines.Print(trainer.SkippedImages.Select(s => (s.Path, s.Reason)).ToList());
        var unlearned = data.UnlearnedLabelsWarning(trainer.SkippedImages.Select(s => s.Path));
        if (unlearned is not null)
            AnsiConsole.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(unlearned)}");
        var kept = history.Count < settings.Training.Epochs ? $"stopped early after epoch {history.Count}; " : "";
        if (settings.ValidationSet is not null)
            AnsiConsole.MarkupLine($"{kept}kept the weights of epoch {history.MaxBy(m => m.ValidationAccuracy ?? 0)!.Epoch} (best validation accuracy).");

        // Evaluate on the test part.
        var scored = model.Transform(Rows(data.Test));
        var metrics = mlContext.MulticlassClassification.Evaluate(scored);
        if (!double.IsFinite(metrics.LogLoss) || scored.GetColumn<float[]>("Score").Any(row => row.Any(v => !float.IsFinite(v))))
            throw new InvalidOperationException("The trained model gives non-finite scores on the test images, so its metrics mean nothing; no model was saved. " +
                "Lower --learning-rate and check the images.");
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Test: micro accuracy [bold]{metrics.MicroAccuracy:P2}[/], macro accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F3} on {data.Test.Count} images ({data.TestName})."));

        // Save, reload in a fresh context, score a few images.
        var modelPath = Path.Combine(outputDir, "model.zip");
        AtomicFile.Write(modelPath, stream => mlContext.Model.Save(model, trainRows.Schema, stream));
        var scoring = new MLContext().RegisterStnComponents();
        var loaded = scoring.Model.Load(modelPath, out _);
        var engine = scoring.Model.CreatePredictionEngine<Input, Output>(loaded);
        var table = new Table().AddColumns("image", "true label", "predicted label", "confidence");
        foreach (var image in data.Test.Where((_, i) => i % Math.Max(1, data.Test.Count / 8) == 0).Take(8))
        {
            var prediction = engine.Predict(new Input { ImagePath = image.ImagePath, Label = image.Label });
            table.AddRow(Markup.Escape(Path.GetFileName(image.ImagePath)), Markup.Escape(image.Label), Markup.Escape(prediction.PredictedClass),
                prediction.Score.Max().ToString("P1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);

        // Files.
        Charts.TrainingCurves(history, Path.Combine(outputDir, "training-curves.png"));
        RectifiedGrid.Save(mlContext, scored, settings, Path.Combine(outputDir, "rectified.png"));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "confusion-matrix.md"), ConfusionMarkdown.Write(metrics.ConfusionMatrix, scored.Schema["PredictedLabel"], data.TestName));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "summary.md"), TrainSummary.Write(data, settings, history, metrics, clock.Elapsed, dataRead, firstBatch, trainer.SkippedImages, unlearned));
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(output.Path)}: model.zip, training-curves.png, rectified.png, confusion-matrix.md, summary.md ({clock.Elapsed.TotalMinutes:F1} min)" +
            (output.Replaced.Count > 0 ? $"; replaced the earlier run's {Markup.Escape(string.Join(", ", output.Replaced))} (--overwrite)." : "."));
        return 0;
    }

    /// <summary>Why the input has its size, when the images chose it (empty otherwise).</summary>
    private static string InputSizeReason(TrainSettings options, TrainingSet data) =>
        options.ImageSize is null && data.MedianShorterSide is { } side && side > 0
            ? options.InputFromImages && TrainDefaults.TakenAtOwnSize(side)
                ? $" (the images' median shorter side is {side} px: images smaller than {TrainDefaults.OwnImages.ImageSize} px are taken at their own size without downsampling; --image-size and --downsampling change it)"
                : $" (the images' median shorter side is {side} px; --image-size changes it)"
            : "";
}
