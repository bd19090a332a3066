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
/// downsampling), 20 epochs of Adam with one epoch of warm-up and cosine decay, the best validation epoch kept, a random
/// shift of every training image and dropout on the classifier's features — chosen on five image sets and timed on 2 CPU cores
/// (docs/results.md, "Your own images"). The network's settings are a <see cref="SpatialTransformerOptions"/>
/// (<see cref="Transformer"/>) and the training's a <see cref="TrainingOptions"/> (<see cref="Training"/>), the same
/// classes the TorchSharp-level API takes, with the defaults they change named there.
/// </summary>
public sealed class StnImageClassificationOptions
{
    /// <summary>
    /// The downsampling factors the classifier's trainer takes (<see cref="SpatialTransformerOptions.Downsampling"/> in
    /// <see cref="Transformer"/>): 1, 2, 4 and 8, the paper's.
    /// </summary>
    public static IReadOnlyList<int> DownsamplingFactors { get; } = [1, 2, 4, 8];

    /// <summary>Key-typed label column (use <c>MapValueToKey</c>). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// Image column: the text path of an image file (absolute, or relative to the current folder — what
    /// <c>LoadFromImageFolder</c> gives as <c>ImagePath</c>), an ML.NET image (<c>LoadImages</c>), or a known-size float
    /// vector of Transformer.Channels × height × width pixels in [0, 1], channel-major (what <c>ExtractPixels</c> gives with
    /// interleaving off and scale 1/255). Images of any size and channel count are resized to
    /// Transformer.ImageWidth × ImageHeight and read as RGB. Default "Image".
    /// <para>Paths are read by the trainer itself: each file decoded by the library's decoder in parallel ahead of the
    /// training step, and a file that cannot be decoded (damaged, truncated, empty, missing) left out, named in
    /// <see cref="StnImageClassificationTrainer.SkippedImages"/> and <c>mlContext.Log</c>; the saved model then loads the
    /// images itself (ML.NET's <c>LoadImages</c>, <c>ResizeImages</c> and <c>ExtractPixels</c>, the same pixels), so it
    /// scores rows of paths. An image column is decoded by ML.NET's <c>LoadImages</c>, and a file it cannot load stops
    /// training with the file's name.</para>
    /// <para>Rows the model cannot score: a pixel vector with a NaN or infinite value gets NaN scores and the missing
    /// <c>PredictedLabel</c> key 0. An empty or null path in <c>LoadImages</c>' path column is NOT missing: ML.NET loads
    /// no image and <c>ExtractPixels</c> makes zeros of it, so the row is scored as a black image (a real class) — and in
    /// ML.NET 5.0.1 and 6.0.0 an empty path that follows a real image in the same cursor or <c>PredictionEngine</c> fails with
    /// "Object is disposed" (<c>ResizeImages</c> hands on its disposed previous image). Filter such rows out first.</para>
    /// </summary>
    public string ImageColumnName { get; set; } = "Image";

    /// <summary>Output score column: one probability per class, in the label's key order. Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Output predicted-label column: a key with the training label's key values. Default "PredictedLabel".</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Geometric front end. Default <see cref="SpatialArchitecture.InverseCompositionalStn"/>.</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>
    /// The spatial transformer — warp family, sampler and its settings, input size, downsampling, IC-STN steps,
    /// predictor layout — as <see cref="SpatialTransformerOptions"/> documents it, with one default changed for images
    /// the library has never seen: <see cref="SpatialTransformerOptions.Downsampling"/> 2 (16×16 of a 32×32 input:
    /// about as accurate as a plain CNN on the full 32×32 image, at a fifth of its cost on a CPU; docs/results.md).
    /// The rest are that class's defaults: homography, Linearized sampling (scoring samples bilinearly), 32×32 RGB
    /// input, 4 IC-STN steps. Images are resized to <c>ImageWidth</c>×<c>ImageHeight</c>; a pixel-vector column must
    /// hold <c>Channels</c>×height×width values. The downsampling factor must be one of <see cref="DownsamplingFactors"/>
    /// (1, 2, 4 or 8) and divide the image size.
    /// Set parts in place: <c>Transformer = { Downsampling = 4, Sampler = SamplingMode.Bilinear }</c>.
    /// </summary>
    public SpatialTransformerOptions Transformer { get; set; } = new() { Downsampling = 2 };

    /// <summary>
    /// How the network trains — epochs, batch size, optimizer, learning rates and schedule, perturbation, early stopping,
    /// seed, device — as <see cref="TrainingOptions"/> documents it, with three defaults changed for images the library
    /// has never seen (chosen on five image sets and timed on 2 CPU cores; docs/results.md, "Your own images"):
    /// <see cref="TrainingOptions.Epochs"/> 20,
    /// <see cref="TrainingOptions.PerturbationStrength"/> 0 (the IC-STN paper's traffic-sign experiment uses 0.25; on
    /// the sets measured its corner moves did not help data that is not misaligned), and
    /// <see cref="TrainingOptions.TranslationStrength"/> 0.1 (each training image shifted at random, σ 5 % of its side,
    /// every time it is seen). <see cref="TrainingOptions.EarlyStoppingPatience"/> stays 0: the 20 epochs all run and
    /// the best validation epoch is kept; stopping after 6 epochs without a better validation accuracy ended runs while
    /// the learning rate was still high, 0.5–3 points lower. The rest are that class's defaults: Adam, learning
    /// rate 3e-3 (predictor a tenth), one epoch of warm-up then cosine decay, batch 100, keep-best, seed 0, device Auto.
    /// Its <see cref="TrainingOptions.Log"/> also gets what the trainer writes to <c>mlContext.Log</c>. Set parts in
    /// place: <c>Training = { Epochs = 10, Seed = 1 }</c>.
    /// </summary>
    public TrainingOptions Training { get; set; } = new() { Epochs = 20, PerturbationStrength = 0, TranslationStrength = 0.1 };

    /// <summary>
    /// Probability of dropping each of the classifier's pooled features before its fully connected layer while training
    /// (<see cref="SpatialClassifierOptions.ClassifierDropout"/>; scoring and the exported graph are unchanged), in [0, 1).
    /// Default 0.25: with the random shift of <see cref="TrainingOptions.TranslationStrength"/> 0.1, it keeps a
    /// 10,000-image set from being learnt by heart over 20 epochs (docs/results.md, "Your own images"). 0 = the papers'
    /// networks.
    /// </summary>
    public double ClassifierDropout { get; set; } = 0.25;

    /// <summary>
    /// Optional held-out data (same columns) for per-epoch validation accuracy, keep-best and early stopping
    /// (<see cref="TrainingOptions.KeepBest"/>, <see cref="TrainingOptions.EarlyStoppingPatience"/> in <see cref="Training"/>).
    /// </summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>Also output the final warp parameters of each row (a float vector of P) in this column; null (default) = no such column.</summary>
    public string? WarpColumnName { get; set; }

    /// <summary>
    /// Also output the rectified image the classifier saw (a float vector of C×Hout×Wout, channel-major) in this column;
    /// null (default) = no such column.
    /// </summary>
    public string? RectifiedColumnName { get; set; }

    /// <summary>
    /// The most data, in megabytes of network input, that <see cref="StnImageClassificationTrainer.Fit"/> keeps in memory:
    /// when the training and validation rows take at most this much (one byte per pixel value for images — 3 KB an image at
    /// 32×32, 12 KB at 64×64 — four for float pixel vectors), each row is kept once read, so every image is decoded once in
    /// the whole run; above it the rows are streamed — read again in every epoch — and memory holds a few batches whatever
    /// the data's size. Either way the rows are read through cursors in the seeded order of each epoch, decoded in parallel
    /// at most four batches ahead of the training step, so training starts after the first batch, and the same seed gives
    /// the same batches, the same weights and the same metrics. 0 = always stream. Default 256 (about 87,000 images at
    /// 32×32, 21,000 at 64×64); measured in docs/performance.md, "Reading the data".
    /// </summary>
    public int InMemoryLimitMegabytes { get; set; } = DefaultInMemoryLimitMegabytes;

    /// <summary>The default of <see cref="InMemoryLimitMegabytes"/>: 256.</summary>
    internal const int DefaultInMemoryLimitMegabytes = 256;

    /// <summary>Optional TorchSharp weights (from <see cref="StnImageClassificationTrainer.SaveWeights"/>) to continue training from.</summary>
    public string? InitialWeightsPath { get; set; }

    /// <summary>Called after every batch and epoch (for progress bars), on the training thread.</summary>
    public Action<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training within one batch with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary><see cref="DownsamplingFactors"/> for a message: "1, 2, 4 or 8".</summary>
    internal static string DownsamplingFactorList => $"{string.Join(", ", DownsamplingFactors.SkipLast(1))} or {DownsamplingFactors[^1]}";

    internal SpatialClassifierOptions ToModelOptions(int classCount) => new()
    {
        Architecture = Architecture,
        ClassCount = classCount,
        ClassifierDropout = ClassifierDropout,
        Transformer = Transformer.Clone(),
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
        if (Transformer is null) throw new ArgumentNullException(nameof(Transformer), "Transformer must hold the spatial transformer's settings (leave it unset for the defaults).");
        if (Training is null) throw new ArgumentNullException(nameof(Training), "Training must hold the training settings (leave it unset for the defaults).");
        int downsampling = Transformer.Downsampling, width = Transformer.ImageWidth, height = Transformer.ImageHeight;
        if (!DownsamplingFactors.Contains(downsampling))
            throw new ArgumentOutOfRangeException("Transformer.Downsampling", downsampling, $"Must be {DownsamplingFactorList}.");
        if (width % downsampling != 0 || height % downsampling != 0)
            throw new ArgumentOutOfRangeException("Transformer.Downsampling", downsampling, $"The image size {width}×{height} must be divisible by the downsampling factor.");
        if (InMemoryLimitMegabytes < 0)
            throw new ArgumentOutOfRangeException(nameof(InMemoryLimitMegabytes), InMemoryLimitMegabytes, "Must be ≥ 0 (0 = always stream the data).");
        ToModelOptions(2).Validate();
        Training.Validate();
        if (InitialWeightsPath is not null && !File.Exists(InitialWeightsPath))
            throw new FileNotFoundException($"InitialWeightsPath '{InitialWeightsPath}' does not exist.", InitialWeightsPath);
    }
}
