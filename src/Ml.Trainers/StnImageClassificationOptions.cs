using Ml.Transforms.Training;
using Ml.Trainers.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Microsoft.ML;

namespace Ml.Trainers;

/// <summary>
/// Settings of <see cref="StnImageClassificationTrainer"/>. The defaults are for images the library has never seen
/// (your own, in folders): an IC-STN with linearized sampling on 32×32 RGB input whose classifier sees 16×16 (2×
/// downsampling), up to 20 epochs of Adam with one epoch of warm-up and cosine decay, early stopping after 6 epochs
/// without a better validation accuracy, no perturbation — chosen on four image sets and timed on 2 CPU cores
/// (docs/results.md, "Your own images"). The traffic-sign sample sets the paper's settings instead (4×, 30 epochs,
/// σ = 0.25 perturbations).
/// </summary>
public sealed class StnImageClassificationOptions
{
    /// <summary>Key-typed label column (use <c>MapValueToKey</c>). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// Image column: an ML.NET image (<c>LoadImages</c>; any size and channel count, resized to
    /// <see cref="ImageWidth"/>×<see cref="ImageHeight"/> and read as RGB), or a known-size float vector of
    /// <see cref="Channels"/>×height×width pixels in [0, 1], channel-major (what <c>ExtractPixels</c> gives with
    /// interleaving off and scale 1/255). Default "Image".
    /// <para>Rows the model cannot score: a pixel vector with a NaN or infinite value gets NaN scores and the missing
    /// <c>PredictedLabel</c> key 0. An empty or null path in <c>LoadImages</c>' path column is NOT missing: ML.NET loads
    /// no image and <c>ExtractPixels</c> makes zeros of it, so the row is scored as a black image (a real class) — and in
    /// ML.NET 5.0.1 an empty path that follows a real image in the same cursor or <c>PredictionEngine</c> fails with
    /// "Object is disposed" (<c>ResizeImages</c> hands on its disposed previous image). Filter such rows out first.</para>
    /// </summary>
    public string ImageColumnName { get; set; } = "Image";

    /// <summary>Output score column: one probability per class, in the label's key order. Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Output predicted-label column: a key with the training label's key values. Default "PredictedLabel".</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Geometric front end. Default <see cref="SpatialArchitecture.InverseCompositionalStn"/>.</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>Warp family. Default <see cref="WarpFamily.Homography"/>.</summary>
    public WarpFamily Warp { get; set; } = WarpFamily.Homography;

    /// <summary>Sampler used while training (scoring samples bilinearly for Linearized). Default <see cref="SamplingMode.Linearized"/>.</summary>
    public SamplingMode Sampler { get; set; } = SamplingMode.Linearized;

    /// <summary>
    /// Downsampling factor of the warped image the classifier sees: 1, 2, 4 or 8. Default 2 (16×16 of a 32×32 input:
    /// about as accurate as a plain CNN on the full 32×32 image, at a fifth of its cost on a CPU; docs/results.md).
    /// </summary>
    public int Downsampling { get; set; } = 2;

    /// <summary>Network input width; images are resized to it. Default 32.</summary>
    public int ImageWidth { get; set; } = 32;

    /// <summary>Network input height; images are resized to it. Default 32.</summary>
    public int ImageHeight { get; set; } = 32;

    /// <summary>Channels of a pixel-vector image column (images are always read as RGB, 3). Default 3.</summary>
    public int Channels { get; set; } = 3;

    /// <summary>Passes over the training data (at most, with early stopping). Default 20.</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>Images per mini-batch. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Learning rate of the classifier (at the end of the warm-up). Default 3e-3 (for Adam).</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>
    /// Learning rate of the geometric predictor; null (default) = <see cref="LearningRate"/> / 10 with Adam (with SGD: 1e-3
    /// for an STN, 1e-4 for an IC-STN). With Adam it must stay below 0.1; with either optimizer, training stops after an
    /// epoch whose warps sampled more than three quarters of the classifier's grid points outside the image
    /// (<see cref="TrainingOptions.GeometricLearningRate"/>).
    /// </summary>
    public double? GeometricLearningRate { get; set; }

    /// <summary>SGD momentum (ignored by Adam). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Update rule. Default <see cref="TrainingOptimizer.Adam"/>.</summary>
    public TrainingOptimizer Optimizer { get; set; } = TrainingOptimizer.Adam;

    /// <summary>Learning-rate schedule after the warm-up. Default <see cref="LearningRateSchedule.Cosine"/>.</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Cosine;

    /// <summary>Epochs of linear learning-rate warm-up. Default 1.</summary>
    public double WarmupEpochs { get; set; } = 1;

    /// <summary>Weight decay (L2 for SGD, decoupled for Adam). Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Recurrent warp steps of the IC-STN. Default 4.</summary>
    public int WarpSteps { get; set; } = 4;

    /// <summary>
    /// σ of the random warps (corner moves and common shift, [-1, 1] frame) applied to every training image each time it
    /// is seen; the network learns to undo them. 0 = no perturbation. Default 0 (on the image sets measured it did not
    /// help data that is not misaligned; the IC-STN paper's traffic-sign experiment uses 0.25).
    /// </summary>
    public double PerturbationStrength { get; set; }

    /// <summary>Optional held-out data (same columns) for per-epoch validation accuracy and keep-best.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>With a validation set, keep the weights of the best validation epoch. Default true.</summary>
    public bool KeepBest { get; set; } = true;

    /// <summary>
    /// With a validation set: stop when the validation accuracy has not improved for this many epochs (the weights of
    /// the best epoch are kept either way); 0 = train every epoch. Default 6.
    /// </summary>
    public int EarlyStoppingPatience { get; set; } = 6;

    /// <summary>Where to train. Default <see cref="ComputeDevice.Auto"/>.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Seed of weights, shuffling, perturbations and sampler noise. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Linearized sampler: samples per point K. Default 8.</summary>
    public int SampleCount { get; set; } = SamplerOptions.DefaultSampleCount;

    /// <summary>Linearized sampler: noise strength. Default 0.5.</summary>
    public double NoiseStrength { get; set; } = SamplerOptions.DefaultNoiseStrength;

    /// <summary>Linearized sampler: push auxiliary samples away from the centre. Default true.</summary>
    public bool PushAway { get; set; } = true;

    /// <summary>Also output the final warp parameters of each row (a float vector of P) in this column; null (default) = no such column.</summary>
    public string? WarpColumnName { get; set; }

    /// <summary>
    /// Also output the rectified image the classifier saw (a float vector of C×Hout×Wout, channel-major) in this column;
    /// null (default) = no such column.
    /// </summary>
    public string? RectifiedColumnName { get; set; }

    /// <summary>Optional TorchSharp weights (from <see cref="StnImageClassificationTrainer.SaveWeights"/>) to continue training from.</summary>
    public string? InitialWeightsPath { get; set; }

    /// <summary>Called after every batch and epoch (for progress bars), on the training thread.</summary>
    public Action<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training within one batch with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    internal SpatialClassifierOptions ToModelOptions(int classCount) => new()
    {
        Architecture = Architecture,
        ClassCount = classCount,
        Transformer = new SpatialTransformerOptions
        {
            Warp = Warp,
            Sampler = Sampler,
            Downsampling = Downsampling,
            ImageHeight = ImageHeight,
            ImageWidth = ImageWidth,
            Channels = Channels,
            WarpSteps = WarpSteps,
            SamplerOptions = new SamplerOptions { SampleCount = SampleCount, NoiseStrength = NoiseStrength, PushAway = PushAway, AddFittedIntercept = false },
        },
    };

    internal TrainingOptions ToTrainingOptions() => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        GeometricLearningRate = GeometricLearningRate,
        Momentum = Momentum,
        Optimizer = Optimizer,
        Schedule = Schedule,
        WarmupEpochs = WarmupEpochs,
        WeightDecay = WeightDecay,
        PerturbationStrength = PerturbationStrength,
        KeepBest = KeepBest,
        EarlyStoppingPatience = EarlyStoppingPatience,
        Seed = Seed,
        Device = Device,
    };

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(LabelColumnName), LabelColumnName), (nameof(ImageColumnName), ImageColumnName),
                     (nameof(ScoreColumnName), ScoreColumnName), (nameof(PredictedLabelColumnName), PredictedLabelColumnName) })
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{name} must name a column.", name);
        foreach (var (name, value) in new[] { (nameof(WarpColumnName), WarpColumnName), (nameof(RectifiedColumnName), RectifiedColumnName) })
            if (value is not null && string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{name} must name a column, or be null for no such column.", name);
        var outputs = new[] { (nameof(ImageColumnName), ImageColumnName), (nameof(ScoreColumnName), ScoreColumnName), (nameof(PredictedLabelColumnName), PredictedLabelColumnName),
            (nameof(WarpColumnName), WarpColumnName), (nameof(RectifiedColumnName), RectifiedColumnName) }.Where(o => o.Item2 is not null).ToList();
        foreach (var clash in outputs.GroupBy(o => o.Item2).Where(g => g.Count() > 1))
            throw new ArgumentException(
                $"{string.Join(" and ", clash.Select(o => o.Item1))} are {(clash.Count() == 2 ? "both" : "all")} '{clash.Key}': the image input and each output need their own column. Give them different names.", clash.First().Item1);
        if (Downsampling is not (1 or 2 or 4 or 8))
            throw new ArgumentOutOfRangeException(nameof(Downsampling), Downsampling, "Must be 1, 2, 4 or 8.");
        if (ImageWidth % Downsampling != 0 || ImageHeight % Downsampling != 0)
            throw new ArgumentOutOfRangeException(nameof(Downsampling), Downsampling, $"The image size {ImageWidth}×{ImageHeight} must be divisible by the downsampling factor.");
        // The options below are passed on under other names (SamplerOptions, TrainingOptions); checked here so that
        // a message names the option the user set.
        if (SampleCount < 2) throw new ArgumentOutOfRangeException(nameof(SampleCount), SampleCount, "Must be ≥ 2 (the query point and one auxiliary sample); the paper uses 8.");
        if (!double.IsFinite(NoiseStrength) || NoiseStrength < 0) throw new ArgumentOutOfRangeException(nameof(NoiseStrength), NoiseStrength, "Must be a finite number ≥ 0 (default 0.5).");
        if (!double.IsFinite(PerturbationStrength) || PerturbationStrength < 0)
            throw new ArgumentOutOfRangeException(nameof(PerturbationStrength), PerturbationStrength, "Must be a finite number ≥ 0 (0 = no perturbation).");
        ToModelOptions(2).Validate();
        ToTrainingOptions().Validate();
        if (InitialWeightsPath is not null && !File.Exists(InitialWeightsPath))
            throw new FileNotFoundException($"InitialWeightsPath '{InitialWeightsPath}' does not exist.", InitialWeightsPath);
    }
}
