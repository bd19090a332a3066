using System.Diagnostics;
using Ml.Trainers.Training;
using Ml.Transforms.Training;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>One network of the paper's GTSRB table: architecture + sampler (the baseline has none).</summary>
internal sealed record StnVariant(string Name, SpatialArchitecture Architecture, SamplingMode Sampler)
{
    /// <summary>The table's rows, in the paper's order.</summary>
    public static IReadOnlyList<StnVariant> All { get; } =
    [
        new("Baseline", SpatialArchitecture.None, SamplingMode.Bilinear),
        new("STN-Bilinear", SpatialArchitecture.Stn, SamplingMode.Bilinear),
        new("STN-MultiScale", SpatialArchitecture.Stn, SamplingMode.MultiScale),
        new("STN-Linearized", SpatialArchitecture.Stn, SamplingMode.Linearized),
        new("IC-STN-Bilinear", SpatialArchitecture.InverseCompositionalStn, SamplingMode.Bilinear),
        new("IC-STN-MultiScale", SpatialArchitecture.InverseCompositionalStn, SamplingMode.MultiScale),
        new("IC-STN-Linearized", SpatialArchitecture.InverseCompositionalStn, SamplingMode.Linearized),
    ];

    /// <summary>The rows named in a comma list (case-insensitive), in the table's order.</summary>
    public static IReadOnlyList<StnVariant> Parse(string list)
    {
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
            throw new ArgumentException("--rows must name at least one row.");
        foreach (var name in names)
            if (!All.Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"--rows: unknown row '{name}'; expected a comma list of {string.Join(", ", All.Select(v => v.Name))}.");
        return All.Where(v => names.Contains(v.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// A freshly initialised network (weights from <paramref name="seed"/>, then the recipe's initialization) at
    /// <paramref name="downsampling"/> in the protocol's framing.
    /// </summary>
    public SpatialClassifier Build(int downsampling, int classCount, int seed, TableProtocol protocol, TableRecipe recipe, WarpFamily warp = WarpFamily.Homography)
    {
        manual_seed(seed);
        var model = new SpatialClassifier(protocol.Network(Architecture, Sampler, downsampling, classCount, warp));
        recipe.Initialize(model);
        return model;
    }
}

/// <summary>What one trained cell measured.</summary>
/// <param name="PerturbedTestError">Error on the test tracks, each image warped by the seeded σ = 0.25 perturbation (the IC-STN paper's test protocol).</param>
/// <param name="TestError">Error on the unperturbed test tracks.</param>
/// <param name="Zoom">The learned warps' zoom on the unperturbed test images; null for the baseline.</param>
internal sealed record CellResult(
    StnVariant Variant, int Downsampling, int Seed, double PerturbedTestError, double TestError, double TestLoss, int BestEpoch, double? BestValidationAccuracy,
    long ClassifierParameters, long Parameters, TimeSpan Elapsed, IReadOnlyList<EpochMetrics> History, WarpZoom? Zoom = null);

/// <summary>Trains and tests one cell with the IC-STN paper's protocol on <see cref="GtsrbSplitData"/>.</summary>
internal static class StnCell
{
    /// <summary>Trains <paramref name="model"/> and measures its error on the test tracks, perturbed with the seeded training perturbation and unperturbed.</summary>
    public static CellResult Run(StnVariant variant, SpatialClassifier model, GtsrbSplitData data, TrainingOptions options,
        Action<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var result = TrainingEngine.Train(model, data.TrainImages, data.TrainLabels, options,
            data.ValidationImages, data.ValidationLabels, progress, cancellation);
        var perturbed = TrainingEngine.Evaluate(model, data.TestImages, data.TestLabels, options.BatchSize,
            perturbationStrength: options.PerturbationStrength, seed: options.Seed, cancellationToken: cancellation);
        var plain = TrainingEngine.Evaluate(model, data.TestImages, data.TestLabels, options.BatchSize, cancellationToken: cancellation);
        var zoom = model.Transformer is null ? null : WarpZoom.Over(model, data.TestImages, null, cancellation);
        return new CellResult(variant, model.Options.Transformer.Downsampling, options.Seed, 1 - perturbed.Accuracy, 1 - plain.Accuracy, perturbed.Loss,
            result.BestEpoch, result.History[result.BestEpoch - 1].ValidationAccuracy,
            model.ClassifierParameterCount, model.ParameterCount, clock.Elapsed, result.History, zoom);
    }
}
