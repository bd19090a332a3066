using Ml.Transforms.Checks;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;

namespace Ml.Transforms.Training;

/// <summary>
/// How a network trains: the settings of the library's training loop, shared by the classifier
/// (<c>StnImageClassificationOptions.Training</c>, <c>TrainingEngine.Train</c>) and the learned alignment
/// (<see cref="Estimators.LearnedAlignmentOptions.Training"/>, which changes some defaults and refuses the settings that
/// do not apply to it). Defaults are this library's classifier recipe, the same for every architecture and sampler
/// (measured in docs/results.md): Adam, learning rate 3e-3 for the classifier and a tenth of it for the geometric
/// predictor, one epoch of linear warm-up then cosine decay to zero, batch 100, 30 epochs, a fresh σ = 0.25
/// perturbation per training image (<see cref="PerturbationStrength"/>). The IC-STN paper's setting is plain SGD
/// (<see cref="TrainingOptimizer.Sgd"/>, momentum 0, learning rate 1e-2, constant; predictor 1e-3 for an STN and 1e-4
/// for an IC-STN).
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training set. Default 30.</summary>
    public int Epochs { get; set; } = 30;

    /// <summary>Images per mini-batch. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Learning rate of the classifier head (reached at the end of the warm-up); for <c>AlignImages</c>, of the whole
    /// alignment network. Default 3e-3.
    /// </summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>
    /// Learning rate of the geometric predictor; null (default) = <see cref="LearningRate"/> / 10 with Adam, and the
    /// IC-STN paper's 1e-3 for an STN / 1e-4 for an IC-STN with SGD. With Adam it must stay below 0.1: Adam moves every
    /// weight by about the learning rate per step, and from there on the warps leave the image within the first epoch.
    /// With either optimizer, training stops (<see cref="InvalidOperationException"/>) after an epoch whose warps sampled
    /// more than three quarters of the classifier's grid points outside the image (measured: docs/learning-rate-bounds.md,
    /// "The classifier's predictor").
    /// </summary>
    public double? GeometricLearningRate { get; set; }

    /// <summary><see cref="GeometricLearningRate"/> must stay below this with <see cref="TrainingOptimizer.Adam"/>.</summary>
    internal const double AdamGeometricLearningRateLimit = 0.1;

    /// <summary>SGD momentum for both groups (ignored by Adam). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Update rule. Default <see cref="TrainingOptimizer.Adam"/>.</summary>
    public TrainingOptimizer Optimizer { get; set; } = TrainingOptimizer.Adam;

    /// <summary>Weight decay of both groups (L2 for SGD, decoupled for Adam). Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Learning-rate schedule after the warm-up. Default <see cref="LearningRateSchedule.Cosine"/>.</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Cosine;

    /// <summary>Epochs of linear learning-rate warm-up at the start (fractions allowed; at most <see cref="Epochs"/>). Default 1.</summary>
    public double WarmupEpochs { get; set; } = 1;

    /// <summary>
    /// σ of the random warps (corner moves and common shift, [-1, 1] frame; the IC-STN paper's traffic-sign protocol)
    /// applied to every training image each time it is seen; the network learns to undo them. 0 = no perturbation.
    /// Default 0.25.
    /// </summary>
    public double PerturbationStrength { get; set; } = 0.25;

    /// <summary>
    /// σ of a random shift added to every training image each time it is seen, in the [-1, 1] frame (0.1: a standard
    /// deviation of 5 % of the image side, per axis; the image is padded with zeros): data augmentation that moves the
    /// whole image and distorts nothing. It adds to the shift of <see cref="PerturbationStrength"/>'s warps (the two
    /// σ combine as √(σp² + σt²)), and works alone when that is 0. Default 0.
    /// </summary>
    public double TranslationStrength { get; set; }

    /// <summary>The training perturbation's strengths; null when both are 0 (no perturbation).</summary>
    internal Geometry.PerturbationOptions? PerturbationInUse => PerturbationStrength > 0 || TranslationStrength > 0
        ? new Geometry.PerturbationOptions
        {
            CornerStrength = PerturbationStrength,
            TranslationStrength = Math.Sqrt(PerturbationStrength * PerturbationStrength + TranslationStrength * TranslationStrength),
        }
        : null;

    /// <summary>
    /// Also perturb the validation images (with the same seeded warps every epoch), as the IC-STN paper does for its
    /// test set. Default false. Needs validation data.
    /// </summary>
    public bool PerturbValidation { get; set; }

    /// <summary>
    /// With validation data: restore the weights of the epoch with the best validation accuracy at the end; of epochs
    /// with the same accuracy, the one with the lowest validation loss. Default true. Without validation data the last
    /// epoch's weights are kept, whatever its value.
    /// </summary>
    public bool KeepBest { get; set; } = true;

    /// <summary>
    /// With validation data: stop when the validation accuracy has not improved (nor, at the same accuracy, the validation
    /// loss) for this many epochs (the learning-rate
    /// schedule still spans <see cref="Epochs"/>, so a stopped run ends at a higher rate than a full one). 0 (default) =
    /// train every epoch.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Seed of the shuffling, the perturbations and the sampler's noise (when its options carry no generator). Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Auto"/> (CUDA when available, else CPU).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>
    /// Receives plain-text notices: the numerics self-check's result (once per process and device, see
    /// <see cref="TorchNumerics"/>) and the epoch whose weights were kept. Default null.
    /// </summary>
    public Action<string>? Log { get; set; }

    /// <summary>A copy (the trainer trains with one, so a caller's later changes do not reach a running fit).</summary>
    internal TrainingOptions Clone() => (TrainingOptions)MemberwiseClone();

    /// <summary>
    /// What <see cref="MiniBatchLoop"/> needs of these settings: epochs, batch size, seed, the perturbation and the
    /// learning-rate factor (<see cref="Schedule"/> after <see cref="WarmupEpochs"/> of linear warm-up).
    /// </summary>
    /// <param name="device">Where the loop's generators live.</param>
    /// <param name="learningRates">The learning rates in use, named as the user set them, for a divergence message.</param>
    internal MiniBatchSettings LoopSettings(TorchSharp.torch.Device device, string learningRates)
    {
        var schedule = Schedule;
        double warmupEpochs = WarmupEpochs;
        int epochs = Epochs;
        return new MiniBatchSettings(Epochs, BatchSize, Seed, device, learningRates)
        {
            Perturbation = PerturbationInUse,
            // total = batches per epoch × Epochs, so total / Epochs is the batches per epoch.
            RateFactor = (step, total) => LearningRateScaling.Factor(schedule, step, total, (long)Math.Round(warmupEpochs * (total / epochs))),
        };
    }

    /// <summary>The learning rates in use for <paramref name="model"/>, as a divergence message names them.</summary>
    internal string LearningRateSummary(SpatialClassifier model) => model.Transformer is null
        ? FormattableString.Invariant($"LearningRate {LearningRate}")
        : FormattableString.Invariant($"LearningRate {LearningRate}, GeometricLearningRate {GeometricLearningRateFor(model)}");

    /// <summary>The predictor's learning rate: <see cref="GeometricLearningRate"/>, else its default (see there).</summary>
    internal double GeometricLearningRateFor(SpatialClassifier model) => GeometricLearningRate ?? DefaultGeometricLearningRateFor(model);

    /// <summary>The predictor's learning rate when <see cref="GeometricLearningRate"/> is null.</summary>
    internal double DefaultGeometricLearningRateFor(SpatialClassifier model) => Optimizer switch
    {
        TrainingOptimizer.Adam => LearningRate / 10,
        TrainingOptimizer.Sgd => model.Options.Architecture == SpatialArchitecture.InverseCompositionalStn ? 1e-4 : 1e-3,
        _ => throw UnknownEnum.Value(Optimizer, nameof(Optimizer)),
    };

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Must be ≥ 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Must be ≥ 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be a finite number > 0.");
        if (GeometricLearningRate is { } g && (!(g >= 0) || double.IsInfinity(g)))
            throw new ArgumentOutOfRangeException(nameof(GeometricLearningRate), g, "Must be a finite number ≥ 0 (0 freezes the predictor).");
        if (Optimizer == TrainingOptimizer.Adam && GeometricLearningRate >= AdamGeometricLearningRateLimit)
            throw new ArgumentOutOfRangeException(nameof(GeometricLearningRate), GeometricLearningRate, FormattableString.Invariant(
                $"With Adam it must be below {AdamGeometricLearningRateLimit}: Adam moves every predictor weight by about the learning rate per step, and from {AdamGeometricLearningRateLimit} on the warps leave the image within the first epoch (docs/learning-rate-bounds.md). Leave it null for LearningRate / 10 ({LearningRate / 10}), or stay near that."));
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Must be in [0, 1).");
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, $"Unknown {nameof(TrainingOptimizer)}.");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, $"Unknown {nameof(LearningRateSchedule)}.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Must be a finite number ≥ 0.");
        if (!(WarmupEpochs >= 0) || WarmupEpochs > Epochs)
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, $"Must be between 0 and Epochs ({Epochs}).");
        if (!(PerturbationStrength >= 0) || double.IsInfinity(PerturbationStrength))
            throw new ArgumentOutOfRangeException(nameof(PerturbationStrength), PerturbationStrength, "Must be a finite number ≥ 0 (0 = no perturbation).");
        if (!(TranslationStrength >= 0) || double.IsInfinity(TranslationStrength))
            throw new ArgumentOutOfRangeException(nameof(TranslationStrength), TranslationStrength, "Must be a finite number ≥ 0 (0 = no shift).");
        if (!Enum.IsDefined(Device)) throw new ArgumentOutOfRangeException(nameof(Device), Device, $"Unknown {nameof(ComputeDevice)}.");
        if (EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "Must be ≥ 0 (0 = no early stopping).");
    }
}
