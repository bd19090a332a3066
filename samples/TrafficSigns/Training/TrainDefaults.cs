using Ml.Trainers;
using Ml.Transforms.Modules;

namespace TrafficSigns.Training;

/// <summary>
/// The train command's defaults, each overridable on the command line. Your own images (<c>--images</c>): the library's
/// defaults (<see cref="StnImageClassificationOptions"/>: chosen for data it has never seen; README, "Train on your own
/// images", says why). Traffic signs: the setting measured best within the time budget.
/// </summary>
internal sealed record TrainDefaults(SpatialArchitecture Architecture, int Downsampling, int ImageSize, int Epochs, int Patience, double Perturbation)
{
    /// <summary>
    /// GTSRB: IC-STN with linearized sampling at 2× downsampling, 32×32, 10 epochs (the cosine schedule over 10), no
    /// perturbation, no early stopping: the setting that reached ≥ 96.5 % on held-out tracks within 15 minutes on 2 cores
    /// (docs/results.md, section 1).
    /// </summary>
    public static TrainDefaults TrafficSigns { get; } = new(SpatialArchitecture.InverseCompositionalStn, 2, 32, 10, 0, 0);

    /// <summary>Your own images: <see cref="StnImageClassificationOptions"/>' defaults.</summary>
    public static TrainDefaults OwnImages { get; } = FromLibrary(new StnImageClassificationOptions());

    private static TrainDefaults FromLibrary(StnImageClassificationOptions o) =>
        new(o.Architecture, o.Transformer.Downsampling, o.Transformer.ImageWidth, o.Training.Epochs, o.Training.EarlyStoppingPatience, o.Training.PerturbationStrength);
}
