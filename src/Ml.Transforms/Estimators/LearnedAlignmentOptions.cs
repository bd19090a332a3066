using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Ml.Transforms.Training;

namespace Ml.Transforms.Estimators;

/// <summary>Settings of <c>mlContext.Transforms.AlignImages</c> (a learned alignment network); every default documented.</summary>
public sealed class LearnedAlignmentOptions : WarpedImageOptions
{
    /// <summary>Settings with every default: a Linearized sampler without the fitted intercept.</summary>
    public LearnedAlignmentOptions() : base(SamplingMode.Linearized, new SamplerOptions { AddFittedIntercept = false })
    {
    }

    /// <summary>Align to a reference image or to the mean of the aligned images. Default <see cref="AlignmentTarget.Reference"/>.</summary>
    public AlignmentTarget Target { get; set; } = AlignmentTarget.Reference;

    /// <summary>With <see cref="AlignmentTarget.Reference"/>: the reference image file (PNG/JPEG; resized to the output size, read as RGB).</summary>
    public string? ReferenceImagePath { get; set; }

    /// <summary>The network: <see cref="SpatialArchitecture.Stn"/> or <see cref="SpatialArchitecture.InverseCompositionalStn"/> (default).</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>IC-STN steps. Default 4.</summary>
    public int WarpSteps { get; set; } = 4;

    /// <summary>Passes over the training images. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Images per batch. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Adam learning rate. Default 5e-5: Adam moves every weight by about the learning rate per step, and the
    /// predictor's last layer sums thousands of features, so 1e-3 throws the warp far off in the first steps and the
    /// network does not align (measured: docs/learning-rate-bounds.md, "The learned alignment").
    /// </summary>
    public double LearningRate { get; set; } = 5e-5;

    /// <summary>
    /// σ of random warps (IC-STN protocol, [-1, 1] frame) applied to each training image every time it is seen; the
    /// network learns to undo them (self-supervision: a training set holding only the reference works). 0 = no
    /// perturbation. Default 0.05.
    /// </summary>
    public double PerturbationStrength { get; set; } = 0.05;

    /// <summary>
    /// <c>Fit</c> refuses (<see cref="InvalidOperationException"/>) a trained network whose outputs show the image, on
    /// average over the training images, on less than this fraction of their pixels (<see cref="LearnedAlignmentQuality.VisibleFraction"/>):
    /// the rest is padding, which the masked loss ignores, so moving the image out of view scores a loss of exactly 0.
    /// In [0, 1]; 0 turns the check off. Default 0.75: between what good alignments show and what runs with far too high
    /// a learning rate show, some of them with a loss below the identity's (measured: docs/learning-rate-bounds.md,
    /// "The learned alignment").
    /// </summary>
    public double MinimumVisibleFraction { get; set; } = 0.75;

    /// <summary>Seed of weights, shuffling, perturbations and sampler noise. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Auto"/>.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>
    /// Called on the training thread after every batch (running mean photometric loss) and after every epoch
    /// (<see cref="TrainingProgress.CompletedEpoch"/> set, its <c>Loss</c> the epoch's mean loss): the same reports as
    /// the classifier's trainer sends, with no accuracy (null: alignment has no labels) and no validation. Default null.
    /// </summary>
    public Action<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training within one batch.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <inheritdoc />
    internal override SpatialTransformerOptions ToModuleOptions()
    {
        var options = base.ToModuleOptions();
        options.WarpSteps = WarpSteps;
        return options;
    }

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Target)) throw new ArgumentOutOfRangeException(nameof(Target), Target, $"Unknown {nameof(AlignmentTarget)}.");
        ValidateWarpedImage();
        if (Architecture is not (SpatialArchitecture.Stn or SpatialArchitecture.InverseCompositionalStn))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "A learned alignment needs an Stn or InverseCompositionalStn network.");
        if (Target == AlignmentTarget.Reference)
        {
            if (string.IsNullOrWhiteSpace(ReferenceImagePath))
                throw new ArgumentException("Target = Reference needs ReferenceImagePath (or set Target = Mean to align the images to their mean).", nameof(ReferenceImagePath));
            if (!File.Exists(ReferenceImagePath))
                throw new FileNotFoundException($"ReferenceImagePath '{ReferenceImagePath}' does not exist.", ReferenceImagePath);
        }
        else if (ReferenceImagePath is not null)
        {
            throw new ArgumentException($"ReferenceImagePath is set but Target is {Target}; set Target = Reference to align to it, or clear ReferenceImagePath.", nameof(ReferenceImagePath));
        }
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Must be ≥ 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Must be ≥ 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be a finite number > 0.");
        if (!(PerturbationStrength >= 0) || double.IsInfinity(PerturbationStrength)) throw new ArgumentOutOfRangeException(nameof(PerturbationStrength), PerturbationStrength, "Must be a finite number ≥ 0.");
        if (!(MinimumVisibleFraction >= 0 && MinimumVisibleFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinimumVisibleFraction), MinimumVisibleFraction, "Must lie in [0, 1] (0 turns the check off).");
        if (!Enum.IsDefined(Device)) throw new ArgumentOutOfRangeException(nameof(Device), Device, $"Unknown {nameof(ComputeDevice)}.");
    }
}
