using Ml.Transforms.Alignment;
using Ml.Transforms.Training;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;

namespace TrafficSigns.Experiments.Alignment;

/// <summary>Settings of <see cref="AlignmentRecall.Run"/>. Every property documents its default.</summary>
internal sealed class AlignmentRecallOptions
{
    /// <summary>
    /// Perturbation strengths σ, in the crop's normalized units (the crop spans [-1, 1]): each corner of the crop moves
    /// by N(0, σ²) per coordinate and all four by one more shared N(0, σ²) (<see cref="Geometry.WarpPerturbation"/> with
    /// CornerStrength = TranslationStrength = σ). Each finite and ≥ 0. Default [0.05, 0.1, 0.15, 0.2].
    /// </summary>
    public IReadOnlyList<double> Strengths { get; set; } = [0.05, 0.1, 0.15, 0.2];

    /// <summary>Samplers compared (Nearest has no gradient and is refused). Default [Bilinear, MultiScale, Linearized].</summary>
    public IReadOnlyList<SamplingMode> Samplers { get; set; } = [SamplingMode.Bilinear, SamplingMode.MultiScale, SamplingMode.Linearized];

    /// <summary>Downsampling factors f: the alignment runs at output size round(CropSize / f). Each ≥ 1 and ≤ CropSize. Default [1, 2, 4, 8].</summary>
    public IReadOnlyList<int> Downsamplings { get; set; } = [1, 2, 4, 8];

    /// <summary>Random perturbations per (strength, sampler, downsampling) cell, aligned as one batch. At least 1. Default 20.</summary>
    public int Trials { get; set; } = 20;

    /// <summary>Side, in pixels, of the square reference at 1× (the crop is rendered at this size, then downsampled). At least 1. Default 128.</summary>
    public int CropSize { get; set; } = 128;

    /// <summary>
    /// s: the crop is the square [-s, s]² of the photo's normalized frame, i.e. the central s-fraction of its width and of
    /// its height (a non-square photo's crop is stretched to the square reference). In (0, 1]. Default 0.5.
    /// </summary>
    public double CropScale { get; set; } = 0.5;

    /// <summary>
    /// The reference is rendered bilinearly at (CropSize·k)² and shrunk to each output size by
    /// <see cref="SpatialAlignment.Align"/>'s antialiased resize. 0 = automatic: the smallest k ≥ 2 at which the render is
    /// at least as fine as the photo's pixels inside the crop. At least 0. Default 0.
    /// </summary>
    public int ReferenceSupersampling { get; set; }

    /// <summary>
    /// Gradient steps per alignment (<see cref="SpatialAlignmentOptions.Steps"/>). At least 1. Default 100 (half of
    /// <see cref="SpatialAlignmentOptions"/>'s default, to keep a full default run on two photos within a few minutes
    /// on two CPU cores).
    /// </summary>
    public int Steps { get; set; } = 100;

    /// <summary>Initial learning rate (<see cref="SpatialAlignmentOptions.LearningRate"/>). Finite and &gt; 0. Default 0.03.</summary>
    public double LearningRate { get; set; } = SpatialAlignmentOptions.DefaultLearningRate;

    /// <summary>Cosine decay's end fraction (<see cref="SpatialAlignmentOptions.FinalLearningRateFraction"/>). In [0, 1]. Default 0.05.</summary>
    public double FinalLearningRateFraction { get; set; } = SpatialAlignmentOptions.DefaultFinalLearningRateFraction;

    /// <summary>Update rule (<see cref="SpatialAlignmentOptions.Optimizer"/>). Default <see cref="TrainingOptimizer.Adam"/>.</summary>
    public TrainingOptimizer Optimizer { get; set; } = TrainingOptimizer.Adam;

    /// <summary>Linearized / multi-scale settings shared by every cell; null = the paper's defaults. Default null.</summary>
    public SamplerOptions? SamplerOptions { get; set; }

    /// <summary>
    /// A trial succeeds when the mean distance of the crop's 4 corners under the estimated and the true warp, in pixels
    /// of the OUTPUT size (the downsampled crop), is below this. Finite and &gt; 0. Default 1.
    /// </summary>
    public double SuccessThreshold { get; set; } = 1.0;

    /// <summary>
    /// Seed of the perturbations (every strength draws with a generator seeded with it, so trial i at strength σ is σ
    /// times the same normal draws) and of the linearized sampler's noise. At least 0. Default 0.
    /// </summary>
    public int Seed { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentException"/> for an empty list) naming the bad setting.</summary>
    public void Validate()
    {
        const string name = nameof(AlignmentRecallOptions);
        if (Strengths is null || Strengths.Count == 0)
            throw new ArgumentException($"{name}.{nameof(Strengths)} must hold at least one strength.", nameof(Strengths));
        foreach (var s in Strengths)
            if (!double.IsFinite(s) || s < 0)
                throw new ArgumentOutOfRangeException(nameof(Strengths), s, $"{name}.{nameof(Strengths)} must hold finite numbers ≥ 0.");
        if (Samplers is null || Samplers.Count == 0)
            throw new ArgumentException($"{name}.{nameof(Samplers)} must hold at least one sampler.", nameof(Samplers));
        foreach (var sampler in Samplers)
            if (!Enum.IsDefined(sampler) || sampler == SamplingMode.Nearest)
                throw new ArgumentOutOfRangeException(nameof(Samplers), sampler,
                    $"{name}.{nameof(Samplers)} may hold Bilinear, Bicubic, Linearized and MultiScale (Nearest has no gradient).");
        if (CropSize < 1)
            throw new ArgumentOutOfRangeException(nameof(CropSize), CropSize, $"{name}.{nameof(CropSize)} must be at least 1 (default 128).");
        if (Downsamplings is null || Downsamplings.Count == 0)
            throw new ArgumentException($"{name}.{nameof(Downsamplings)} must hold at least one factor.", nameof(Downsamplings));
        foreach (var f in Downsamplings)
            if (f < 1 || f > CropSize)
                throw new ArgumentOutOfRangeException(nameof(Downsamplings), f, $"{name}.{nameof(Downsamplings)} must hold factors in [1, {nameof(CropSize)} = {CropSize}].");
        if (Trials < 1)
            throw new ArgumentOutOfRangeException(nameof(Trials), Trials, $"{name}.{nameof(Trials)} must be at least 1 (default 20).");
        if (!(CropScale > 0 && CropScale <= 1))
            throw new ArgumentOutOfRangeException(nameof(CropScale), CropScale, $"{name}.{nameof(CropScale)} must lie in (0, 1] (default 0.5).");
        if (ReferenceSupersampling < 0)
            throw new ArgumentOutOfRangeException(nameof(ReferenceSupersampling), ReferenceSupersampling,
                $"{name}.{nameof(ReferenceSupersampling)} must be ≥ 0 (0 = automatic).");
        if (!double.IsFinite(SuccessThreshold) || SuccessThreshold <= 0)
            throw new ArgumentOutOfRangeException(nameof(SuccessThreshold), SuccessThreshold, $"{name}.{nameof(SuccessThreshold)} must be a finite number > 0 (default 1 px).");
        if (Seed < 0)
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, $"{name}.{nameof(Seed)} must be ≥ 0.");
        ToAlignmentOptions(Samplers[0], 1).Validate();
    }

    /// <summary>The alignment settings of one cell.</summary>
    internal SpatialAlignmentOptions ToAlignmentOptions(SamplingMode sampler, int outputSize) => new()
    {
        Warp = WarpFamily.Homography,
        Sampler = sampler,
        SamplerOptions = SamplerOptions,
        Steps = Steps,
        LearningRate = LearningRate,
        FinalLearningRateFraction = FinalLearningRateFraction,
        Optimizer = Optimizer,
        OutputHeight = outputSize,
        OutputWidth = outputSize,
        Padding = PaddingMode.Zeros,
        Seed = Seed,
    };
}
