using Ml.Transforms.Training;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Alignment;

/// <summary>Settings of <see cref="SpatialAlignment.Align"/>. Every property documents its default.</summary>
public sealed class SpatialAlignmentOptions
{
    /// <summary>Default of <see cref="Steps"/>.</summary>
    public const int DefaultSteps = 200;

    /// <summary>Default of <see cref="LearningRate"/>.</summary>
    public const double DefaultLearningRate = 0.03;

    /// <summary>Default of <see cref="FinalLearningRateFraction"/>.</summary>
    public const double DefaultFinalLearningRateFraction = 0.05;

    /// <summary>Default of <see cref="ConvergenceTolerance"/>.</summary>
    public const double DefaultConvergenceTolerance = 1e-3;

    /// <summary>
    /// <see cref="LearningRate"/> must stay below this with <see cref="TrainingOptimizer.Adam"/>: Adam moves every warp
    /// parameter by about the learning rate per step, and at 1 or more the first steps throw the warp off the image, so
    /// no alignment improves (measured: docs/learning-rate-bounds.md, the Adam table and the runs near the bound).
    /// </summary>
    public const double AdamLearningRateLimit = 1;

    /// <summary>
    /// <see cref="LearningRate"/> must stay below this with <see cref="TrainingOptimizer.Sgd"/>. SGD's step is the
    /// learning rate times the gradient, which scales with the image's contrast squared, so the useful rates grow as the
    /// contrast falls; at this bound no alignment of an image in [0, 1] with at least 1 % contrast improves, and the
    /// useful rates below it depend on the image (measured: docs/learning-rate-bounds.md, the SGD table).
    /// </summary>
    public const double SgdLearningRateLimit = 1e5;

    /// <summary>The warp family optimised. Default <see cref="WarpFamily.Homography"/>.</summary>
    public WarpFamily Warp { get; set; } = WarpFamily.Homography;

    /// <summary>How the image is read at the warped points (and so which gradient drives the warp). Default <see cref="SamplingMode.Linearized"/>.</summary>
    public SamplingMode Sampler { get; set; } = SamplingMode.Linearized;

    /// <summary>
    /// Linearized / multi-scale settings; null = the paper's defaults. When its <see cref="SamplerOptions.Generator"/> is
    /// null, the alignment seeds a generator of its own from <see cref="Seed"/> (the options object is not modified).
    /// Default null.
    /// </summary>
    public SamplerOptions? SamplerOptions { get; set; }

    /// <summary>
    /// Gradient steps in all. With <see cref="CoarseToFine"/> they are split over the three stages (⌊Steps / 3⌋ for the
    /// first two, the rest for the last), so at least 3 are needed then. At least 1. Default 200.
    /// </summary>
    public int Steps { get; set; } = DefaultSteps;

    /// <summary>
    /// Initial step size. The parameters are updated compositionally (see <see cref="SpatialAlignment.Align"/>), so for
    /// Adam it is about the move of each warp parameter per step in the OUTPUT frame's normalized units ([-1, 1] across):
    /// 0.03 is 1.5 pixels of a 100-pixel-wide output. Finite, &gt; 0, and below <see cref="AdamLearningRateLimit"/> (Adam)
    /// or <see cref="SgdLearningRateLimit"/> (SGD): rates that cannot work are refused. Default 0.03 (tuned on the
    /// paper's alignment-recall experiment, samples/TrafficSigns.Experiments align: 0.01 and 0.02 gave lower recall overall
    /// in 100 steps).
    /// </summary>
    public double LearningRate { get; set; } = DefaultLearningRate;

    /// <summary>
    /// The learning rate follows a cosine from <see cref="LearningRate"/> at the first step down to
    /// LearningRate × FinalLearningRateFraction at the last (per stage with <see cref="CoarseToFine"/>), so that noisy
    /// gradients (linearized sampling) still settle. 1 = constant. In [0, 1]. Default 0.05.
    /// </summary>
    public double FinalLearningRateFraction { get; set; } = DefaultFinalLearningRateFraction;

    /// <summary>The update rule. Default <see cref="TrainingOptimizer.Adam"/>.</summary>
    public TrainingOptimizer Optimizer { get; set; } = TrainingOptimizer.Adam;

    /// <summary>
    /// When true the warp is first optimised at a quarter of the output size, then at half, then at the full size (each
    /// side at least 1 pixel; the reference is resized for each stage). The optimiser's state carries over. Default false.
    /// </summary>
    public bool CoarseToFine { get; set; }

    /// <summary>Height of the warped image compared with the reference; null = the reference's height. At least 1. Default null.</summary>
    public int? OutputHeight { get; set; }

    /// <summary>Width of the warped image compared with the reference; null = the reference's width. At least 1. Default null.</summary>
    public int? OutputWidth { get; set; }

    /// <summary>What the sampler reads outside the image. Default <see cref="PaddingMode.Zeros"/>.</summary>
    public PaddingMode Padding { get; set; } = PaddingMode.Zeros;

    /// <summary>Seed of the linearized sampler's auxiliary noise (when <see cref="SamplerOptions"/> brings no generator). At least 0. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// A batch row counts as converged when its loss over the last w steps (w = min(10, ⌊steps of the last stage / 2⌋),
    /// at least 1) changed, relative to the w steps before, by at most this fraction:
    /// |mean(last w) - mean(previous w)| ≤ tol · mean(previous w). With fewer than 2 steps in the last stage nothing
    /// counts as converged. Finite and ≥ 0. Default 1e-3.
    /// </summary>
    public double ConvergenceTolerance { get; set; } = DefaultConvergenceTolerance;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Warp))
            throw new ArgumentOutOfRangeException(nameof(Warp), Warp, $"{nameof(SpatialAlignmentOptions)}.{nameof(Warp)} is not a known {nameof(WarpFamily)}.");
        if (!Enum.IsDefined(Sampler))
            throw new ArgumentOutOfRangeException(nameof(Sampler), Sampler, $"{nameof(SpatialAlignmentOptions)}.{nameof(Sampler)} is not a known {nameof(SamplingMode)}.");
        if (Sampler == SamplingMode.Nearest)
            throw new ArgumentOutOfRangeException(nameof(Sampler), Sampler,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(Sampler)} = Nearest gives no gradient to the warp; use Bilinear, Bicubic, Linearized or MultiScale.");
        if (!Enum.IsDefined(Optimizer))
            throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, $"{nameof(SpatialAlignmentOptions)}.{nameof(Optimizer)} is not a known {nameof(TrainingOptimizer)}.");
        if (!Enum.IsDefined(Padding))
            throw new ArgumentOutOfRangeException(nameof(Padding), Padding, $"{nameof(SpatialAlignmentOptions)}.{nameof(Padding)} is not a known {nameof(PaddingMode)}.");
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"{nameof(SpatialAlignmentOptions)}.{nameof(Steps)} must be at least 1 (default {DefaultSteps}).");
        if (CoarseToFine && Steps < 3)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(Steps)} must be at least 3 with {nameof(CoarseToFine)} (one per stage).");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(LearningRate)} must be a finite number > 0 (default {DefaultLearningRate}).");
        if (Optimizer == TrainingOptimizer.Adam && LearningRate >= AdamLearningRateLimit)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(LearningRate)} {LearningRate} cannot work with Adam: Adam moves each warp parameter by about the learning rate per step (the image spans 2 units), so from {AdamLearningRateLimit} up the first steps throw the warp off the image (measured: no alignment improved). Use less than {AdamLearningRateLimit}; the default is {DefaultLearningRate}.");
        if (Optimizer == TrainingOptimizer.Sgd && LearningRate >= SgdLearningRateLimit)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(LearningRate)} {LearningRate} cannot work with SGD: from {SgdLearningRateLimit:G3} up no alignment improved, even of images in [0, 1] with 1 % contrast (full-contrast images align up to about 3). Use less than {SgdLearningRateLimit:G3}, or Adam, whose steps do not depend on the contrast.");
        if (!(FinalLearningRateFraction >= 0 && FinalLearningRateFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(FinalLearningRateFraction)} must lie in [0, 1] (default {DefaultFinalLearningRateFraction}).");
        if (OutputHeight is < 1)
            throw new ArgumentOutOfRangeException(nameof(OutputHeight), OutputHeight,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(OutputHeight)} must be at least 1 (or null for the reference's height).");
        if (OutputWidth is < 1)
            throw new ArgumentOutOfRangeException(nameof(OutputWidth), OutputWidth,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(OutputWidth)} must be at least 1 (or null for the reference's width).");
        if (Seed < 0)
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, $"{nameof(SpatialAlignmentOptions)}.{nameof(Seed)} must be ≥ 0.");
        if (!double.IsFinite(ConvergenceTolerance) || ConvergenceTolerance < 0)
            throw new ArgumentOutOfRangeException(nameof(ConvergenceTolerance), ConvergenceTolerance,
                $"{nameof(SpatialAlignmentOptions)}.{nameof(ConvergenceTolerance)} must be a finite number ≥ 0 (default {DefaultConvergenceTolerance}).");
        SamplerOptions?.Validate();
    }
}
