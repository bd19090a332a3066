using Ml.Trainers;
using Ml.Transforms.Modules;

namespace TrafficSigns.Training;

/// <summary>
/// The train command's defaults, each overridable on the command line. Your own images (<c>--images</c>): the library's
/// defaults (<see cref="StnImageClassificationOptions"/>: chosen for data it has never seen; README, "Train on your own
/// images", says why). Traffic signs: the paper's setting.
/// </summary>
internal sealed record TrainDefaults(SpatialArchitecture Architecture, int Downsampling, int ImageSize, int Epochs, int Patience, double Perturbation)
{
    /// <summary>GTSRB: IC-STN with linearized sampling at 4× downsampling, 32×32, 30 epochs, σ = 0.25 perturbations, no early stopping.</summary>
    public static TrainDefaults TrafficSigns { get; } = new(SpatialArchitecture.InverseCompositionalStn, 4, 32, 30, 0, 0.25);

    /// <summary>Your own images: <see cref="StnImageClassificationOptions"/>' defaults.</summary>
    public static TrainDefaults OwnImages { get; } = FromLibrary(new StnImageClassificationOptions());

    private static TrainDefaults FromLibrary(StnImageClassificationOptions o) =>
        new(o.Architecture, o.Downsampling, o.ImageWidth, o.Epochs, o.EarlyStoppingPatience, o.PerturbationStrength);
}
