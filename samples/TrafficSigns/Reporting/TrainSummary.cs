using Ml.Transforms.Training;
using System.Globalization;
using Microsoft.ML.Data;
using Ml.Trainers;
using TrafficSigns.Training;

namespace TrafficSigns.Reporting;

/// <summary>
/// summary.md of a train run: data, settings, test metrics, time (in all, to read the data, and to the first training
/// batch: from the start of the command) and the per-epoch table.
/// </summary>
internal static class TrainSummary
{
    public static string Write(TrainingSet data, StnImageClassificationOptions s, IReadOnlyList<EpochMetrics> history,
        MulticlassClassificationMetrics metrics, TimeSpan elapsed, TimeSpan dataRead, TimeSpan? firstBatch, IReadOnlyList<Ml.Trainers.Data.SkippedFile> skippedImages, string? unlearnedLabels) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        # {data.Title} — {s.Architecture}, {s.Transformer.Sampler} sampler, {s.Transformer.Downsampling}× downsampling

        - Data: {data.Source}; {data.LabelCount} labels; train {data.Train.Count}, validation {data.Validation.Count}, test {data.Test.Count} ({data.TestName}); {data.SplitDescription}.{string.Concat((data.Warnings ?? []).Select(w => "\n- **Warning:** " + w))}{Skipped(skippedImages)}{(unlearnedLabels is null ? "" : "\n- **Warning:** " + unlearnedLabels)}
        - Network input {s.Transformer.ImageWidth}×{s.Transformer.ImageHeight}; training: {(s.Training.EarlyStoppingPatience > 0 ? $"up to {s.Training.Epochs} epochs (early stopping after {s.Training.EarlyStoppingPatience} epochs without a better validation accuracy; {history.Count} run)" : $"{s.Training.Epochs} epochs")} of {s.Training.Optimizer} ({s.Training.Schedule} schedule, {s.Training.WarmupEpochs} warm-up epoch(s)), batch {s.Training.BatchSize}, learning rate {s.Training.LearningRate} / predictor {(s.Training.GeometricLearningRate?.ToString(CultureInfo.InvariantCulture) ?? "default (a tenth for Adam)")}{(s.Training.Optimizer == TrainingOptimizer.Sgd ? $", momentum {s.Training.Momentum}" : "")}, weight decay {s.Training.WeightDecay}, classifier dropout {s.ClassifierDropout}, perturbation σ {s.Training.PerturbationStrength}, random shift σ {s.Training.TranslationStrength}, seed {s.Training.Seed}; best validation epoch kept.
        - Test ({data.TestName}): micro accuracy **{metrics.MicroAccuracy:P2}**, macro accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F3}.
        - Run time: {elapsed.TotalMinutes:F1} min (data read in {dataRead.TotalSeconds:F1} s{(firstBatch is { } first ? $"; first training step done after {first.TotalSeconds:F1} s" : "")}); {Reading(data, s)}.

        | epoch | loss | train accuracy | validation accuracy | images/s |
        |---:|---:|---:|---:|---:|
        {string.Join("\n", history.Select(m => $"| {m.Epoch} | {m.Loss:F4} | {m.TrainingAccuracy:P2} | {(m.ValidationAccuracy is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : "—")} | {m.ImagesPerSecond:F0} |"))}

        Files: model.zip (ML.NET model; load with `new MLContext().RegisterStnComponents()`), training-curves.png,
        rectified.png (top: test inputs; bottom: what the classifier saw after the spatial transformer), confusion-matrix.md.
        """);

    /// <summary>The images the trainer found damaged when it decoded them for training, and left out (empty when none).</summary>
    private static string Skipped(IReadOnlyList<Ml.Trainers.Data.SkippedFile> skipped) => skipped.Count == 0 ? ""
        : string.Create(CultureInfo.InvariantCulture, $"\n- **Left out:** {skipped.Count} image(s) found damaged when decoded for training: ") +
          string.Join("; ", skipped.Take(10).Select(s => s.Reason)) + (skipped.Count > 10 ? $"; and {skipped.Count - 10} more" : "") + ".";

    /// <summary>
    /// How the trainer read the images: kept in memory once read, or streamed — the rule of
    /// <see cref="StnImageClassificationOptions.InMemoryLimitMegabytes"/> (a byte per pixel value of the training and
    /// validation images at the network's input size).
    /// </summary>
    private static string Reading(TrainingSet data, StnImageClassificationOptions s)
    {
        long bytes = (long)(data.Train.Count + data.Validation.Count) * s.Transformer.Channels * s.Transformer.ImageWidth * s.Transformer.ImageHeight;
        return bytes <= (long)s.InMemoryLimitMegabytes << 20
            ? string.Create(CultureInfo.InvariantCulture, $"images kept in memory once read ({bytes / 1048576.0:F0} MB ≤ --in-memory-limit {s.InMemoryLimitMegabytes})")
            : string.Create(CultureInfo.InvariantCulture, $"images streamed, read again every epoch ({bytes / 1048576.0:F0} MB > --in-memory-limit {s.InMemoryLimitMegabytes})");
    }
}
