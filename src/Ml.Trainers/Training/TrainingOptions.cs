using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;

namespace Ml.Trainers.Training;

/// <summary>
/// Settings of <see cref="TrainingEngine"/>. Defaults follow the IC-STN paper's GTSRB experiment (SGD, batch 100,
/// learning rates 1e-2 for the classifier and 1e-3 / 1e-4 for the STN / IC-STN predictor, perturbation σ = 0.25).
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Images per mini-batch. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>SGD learning rate of the classifier head. Default 1e-2.</summary>
    public double LearningRate { get; set; } = 1e-2;

    /// <summary>SGD learning rate of the geometric predictor; null = 1e-3 for an STN, 1e-4 for an IC-STN (the paper's).</summary>
    public double? GeometricLearningRate { get; set; }

    /// <summary>SGD momentum for both groups. Default 0 (the paper's plain SGD).</summary>
    public double Momentum { get; set; }

    /// <summary>Warp every training batch by a fresh random perturbation that the network has to undo. Default true.</summary>
    public bool Perturb { get; set; } = true;

    /// <summary>Strength of the training perturbation. Default σ = 0.25 for corners and translation.</summary>
    public PerturbationOptions Perturbation { get; set; } = new();

    /// <summary>Also perturb the validation images (with the same seeded warps every epoch), as the IC-STN paper does for its test set. Default false.</summary>
    public bool PerturbValidation { get; set; }

    /// <summary>With validation data: restore the weights of the epoch with the best validation accuracy at the end. Default true.</summary>
    public bool KeepBest { get; set; } = true;

    /// <summary>Seed of the shuffling, the perturbations and the sampler's noise (when its options carry no generator). Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Auto"/> (CUDA when available, else CPU).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Must be ≥ 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Must be ≥ 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be a finite number > 0.");
        if (GeometricLearningRate is { } g && (!(g >= 0) || double.IsInfinity(g)))
            throw new ArgumentOutOfRangeException(nameof(GeometricLearningRate), g, "Must be a finite number ≥ 0 (0 freezes the predictor).");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Must be in [0, 1).");
        (Perturbation ?? throw new ArgumentNullException(nameof(Perturbation))).Validate();
        if (!Enum.IsDefined(Device)) throw new ArgumentOutOfRangeException(nameof(Device), Device, $"Unknown {nameof(ComputeDevice)}.");
    }
}
