using Ml.Transforms.Modules;
using Ml.Transforms.Training;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Settings of <c>mlContext.Transforms.AlignImages</c> (a learned alignment network); every default documented. The
/// network's warp, sampler, sizes and IC-STN steps are a <see cref="SpatialTransformerOptions"/>
/// (<see cref="WarpedImageOptions.Transformer"/>) and its training a <see cref="TrainingOptions"/>
/// (<see cref="Training"/>): the classes the TorchSharp modules and the classifier's trainer take, with the defaults
/// AlignImages changes named there.
/// </summary>
public sealed class LearnedAlignmentOptions : WarpedImageOptions
{
    /// <summary>Settings with every default: a 64×64 IC-STN with a Linearized sampler (no fitted intercept), 10 epochs of Adam.</summary>
    public LearnedAlignmentOptions() : base(new SpatialTransformerOptions { ImageWidth = 64, ImageHeight = 64 })
    {
    }

    /// <summary>Align to a reference image or to the mean of the aligned images. Default <see cref="AlignmentTarget.Reference"/>.</summary>
    public AlignmentTarget Target { get; set; } = AlignmentTarget.Reference;

    /// <summary>With <see cref="AlignmentTarget.Reference"/>: the reference image file (PNG/JPEG; resized to the output size, read as RGB).</summary>
    public string? ReferenceImagePath { get; set; }

    /// <summary>The network: <see cref="SpatialArchitecture.Stn"/> or <see cref="SpatialArchitecture.InverseCompositionalStn"/> (default).</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>
    /// How the alignment network trains, as <see cref="TrainingOptions"/> documents it, with these defaults for
    /// AlignImages (what it trained with before it took a <see cref="TrainingOptions"/>):
    /// <see cref="TrainingOptions.Epochs"/> 10, <see cref="TrainingOptions.BatchSize"/> 32,
    /// <see cref="TrainingOptions.LearningRate"/> 5e-5 (the whole network's rate: Adam moves every weight by about the
    /// learning rate per step, and the predictor's last layer sums thousands of features, so 1e-3 throws the warp far
    /// off in the first steps and the network does not align; measured: docs/learning-rate-bounds.md, "The learned
    /// alignment"), <see cref="TrainingOptions.Schedule"/> <see cref="LearningRateSchedule.Constant"/> with
    /// <see cref="TrainingOptions.WarmupEpochs"/> 0, and <see cref="TrainingOptions.PerturbationStrength"/> 0.05 (random
    /// warps, IC-STN protocol, applied to each training image every time it is seen; the network learns to undo them,
    /// so a training set holding only the reference works). The rest are that class's defaults and apply as there:
    /// Adam (or SGD with <see cref="TrainingOptions.Momentum"/>), no weight decay, seed 0 (weights, shuffling,
    /// perturbations, sampler noise), device Auto; <see cref="TrainingOptions.Log"/> also gets what AlignImages writes
    /// to <c>mlContext.Log</c>. AlignImages takes no validation data, so <see cref="TrainingOptions.KeepBest"/> keeps
    /// the last epoch's weights (as the classifier's trainer does without a validation set), and <see cref="Validate"/>
    /// refuses what cannot apply: a <see cref="TrainingOptions.GeometricLearningRate"/> (the alignment network is all
    /// predictor: set <see cref="TrainingOptions.LearningRate"/>), <see cref="TrainingOptions.EarlyStoppingPatience"/>
    /// above 0 and <see cref="TrainingOptions.PerturbValidation"/>. Set parts in place: <c>Training = { Epochs = 20, Seed = 1 }</c>.
    /// </summary>
    public TrainingOptions Training { get; set; } = new()
    {
        Epochs = 10,
        BatchSize = 32,
        LearningRate = 5e-5,
        Schedule = LearningRateSchedule.Constant,
        WarmupEpochs = 0,
        PerturbationStrength = 0.05,
    };

    /// <summary>
    /// <c>Fit</c> refuses (<see cref="InvalidOperationException"/>) a trained network whose outputs show the image, on
    /// average over the training images, on less than this fraction of their pixels (<see cref="LearnedAlignmentQuality.VisibleFraction"/>):
    /// the rest is padding, which the masked loss ignores, so moving the image out of view scores a loss of exactly 0.
    /// In [0, 1]; 0 turns the check off. Default 0.75: between what good alignments show and what runs with far too high
    /// a learning rate show, some of them with a loss below the identity's (measured: docs/learning-rate-bounds.md,
    /// "The learned alignment").
    /// </summary>
    public double MinimumVisibleFraction { get; set; } = 0.75;

    /// <summary>
    /// Called on the training thread after every batch (running mean photometric loss) and after every epoch
    /// (<see cref="TrainingProgress.CompletedEpoch"/> set, its <c>Loss</c> the epoch's mean loss): the same reports as
    /// the classifier's trainer sends, with no accuracy (null: alignment has no labels) and no validation. Default null.
    /// </summary>
    public Action<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training within one batch.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws, naming the setting, when a value cannot work or does not apply to a learned alignment.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Target)) throw new ArgumentOutOfRangeException(nameof(Target), Target, $"Unknown {nameof(AlignmentTarget)}.");
        ValidateTransformer();
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
        if (Training is null) throw new ArgumentNullException(nameof(Training), "Training must hold the training settings (leave it unset for the defaults).");
        Training.Validate();
        if (Training.GeometricLearningRate is not null)
            throw new ArgumentException(
                "Training.GeometricLearningRate does not apply to AlignImages: the alignment network is all predictor and trains at Training.LearningRate. Leave it null and set Training.LearningRate.",
                "Training.GeometricLearningRate");
        if (Training.EarlyStoppingPatience != 0)
            throw new ArgumentException(
                "Training.EarlyStoppingPatience needs validation data, which AlignImages does not take: it trains for Training.Epochs. Leave it 0 (and lower Training.Epochs to train less).",
                "Training.EarlyStoppingPatience");
        if (Training.PerturbValidation)
            throw new ArgumentException("Training.PerturbValidation needs validation data, which AlignImages does not take. Leave it false.", "Training.PerturbValidation");
        if (!(MinimumVisibleFraction >= 0 && MinimumVisibleFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinimumVisibleFraction), MinimumVisibleFraction, "Must lie in [0, 1] (0 turns the check off).");
    }
}
