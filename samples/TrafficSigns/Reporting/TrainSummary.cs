using Ml.Transforms.Training;
using System.Globalization;
using Microsoft.ML.Data;
using Ml.Trainers;
using TrafficSigns.Training;

namespace TrafficSigns.Reporting;

/// <summary>summary.md of a train run: data, settings, test metrics, time and the per-epoch table.</summary>
internal static class TrainSummary
{
    public static string Write(TrainingSet data, StnImageClassificationOptions s, IReadOnlyList<EpochMetrics> history,
        MulticlassClassificationMetrics metrics, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"""
        # {data.Title} — {s.Architecture}, {s.Sampler} sampler, {s.Downsampling}× downsampling

        - Data: {data.Source}; {data.LabelCount} labels; train {data.Train.Count}, validation {data.Validation.Count}, test {data.Test.Count} ({data.TestName}); {data.SplitDescription}.
        - Network input {s.ImageWidth}×{s.ImageHeight}; training: up to {s.Epochs} epochs{(s.EarlyStoppingPatience > 0 ? $" (early stopping after {s.EarlyStoppingPatience} epochs without a better validation accuracy; {history.Count} run)" : "")} of {s.Optimizer} ({s.Schedule} schedule, {s.WarmupEpochs} warm-up epoch(s)), batch {s.BatchSize}, learning rate {s.LearningRate} / predictor {(s.GeometricLearningRate?.ToString(CultureInfo.InvariantCulture) ?? "default (a tenth for Adam)")}{(s.Optimizer == TrainingOptimizer.Sgd ? $", momentum {s.Momentum}" : "")}, weight decay {s.WeightDecay}, perturbation σ {s.PerturbationStrength}, seed {s.Seed}; best validation epoch kept.
        - Test ({data.TestName}): micro accuracy **{metrics.MicroAccuracy:P2}**, macro accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F3}.
        - Run time: {elapsed.TotalMinutes:F1} min.

        | epoch | loss | train accuracy | validation accuracy | images/s |
        |---:|---:|---:|---:|---:|
        {string.Join("\n", history.Select(m => $"| {m.Epoch} | {m.Loss:F4} | {m.TrainingAccuracy:P2} | {(m.ValidationAccuracy is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : "—")} | {m.ImagesPerSecond:F0} |"))}

        Files: model.zip (ML.NET model; load with `new MLContext().RegisterStnComponents()`), training-curves.png,
        rectified.png (top: test inputs; bottom: what the classifier saw after the spatial transformer), confusion-matrix.md.
        """);
}
