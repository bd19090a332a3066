using Ml.Transforms.Modules;

namespace TrafficSigns.Training;

/// <summary>
/// The train command's defaults, each overridable on the command line. Traffic signs: the paper's setting. Your own
/// images (<c>--images</c>): settings for data the program has never seen (README, "Train on your own images", says why).
/// </summary>
internal sealed record TrainDefaults(SpatialArchitecture Architecture, int Downsampling, int ImageSize, int Epochs, int Patience, double Perturbation)
{
    /// <summary>GTSRB: IC-STN with linearized sampling at 4× downsampling, 32×32, 30 epochs, σ = 0.25 perturbations.</summary>
    public static TrainDefaults TrafficSigns { get; } = new(SpatialArchitecture.InverseCompositionalStn, 4, 32, 30, 0, 0.25);

    /// <summary>Your own images.</summary>
    public static TrainDefaults OwnImages { get; } = new(SpatialArchitecture.Stn, 1, 32, 30, 5, 0.1);
}
