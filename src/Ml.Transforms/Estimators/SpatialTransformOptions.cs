using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Ml.Transforms.Estimators;

/// <summary>Settings of <c>mlContext.Transforms.SpatialTransform</c>; every default documented.</summary>
public sealed class SpatialTransformOptions
{
    /// <summary>Warp a given warp, or learn to align. Default <see cref="SpatialTransformMode.Warp"/>.</summary>
    public SpatialTransformMode Mode { get; set; } = SpatialTransformMode.Warp;

    /// <summary>Warp family (parameters p = 0 are the identity, see <see cref="WarpFamily"/>). Default <see cref="WarpFamily.Homography"/>.</summary>
    public WarpFamily Warp { get; set; } = WarpFamily.Homography;

    /// <summary>Warp mode: the same parameters for every row (P values of <see cref="Warp"/>, normalized [-1, 1] frame).</summary>
    public float[]? Parameters { get; set; }

    /// <summary>Warp mode: a float-vector column of P parameters per row (instead of <see cref="Parameters"/>).</summary>
    public string? ParametersColumnName { get; set; }

    /// <summary>
    /// Sampler. Learned modes train with it; scoring samples bilinearly when it is Linearized (its forward is bilinear),
    /// and with the mode itself otherwise. Default <see cref="SamplingMode.Linearized"/>.
    /// </summary>
    public SamplingMode Sampler { get; set; } = SamplingMode.Linearized;

    /// <summary>
    /// Linearized / MultiScale settings. Default: the paper's, except <see cref="SamplerOptions.AddFittedIntercept"/> off —
    /// with the intercept in the forward pass the photometric loss plateaued higher and the learned alignment was worse
    /// (measured on a photograph: corner error 1.30 px with it, 1.01 px without, bilinear 0.90 px).
    /// </summary>
    public SamplerOptions SamplerOptions { get; set; } = new() { AddFittedIntercept = false };

    /// <summary>What lies outside the image. Default <see cref="PaddingMode.Zeros"/>.</summary>
    public PaddingMode Padding { get; set; } = PaddingMode.Zeros;

    /// <summary>libtorch's align_corners. Default false.</summary>
    public bool AlignCorners { get; set; }

    /// <summary>Width the input is resized to (images) or has (pixel vectors). Default 64.</summary>
    public int ImageWidth { get; set; } = 64;

    /// <summary>Height the input is resized to (images) or has (pixel vectors). Default 64.</summary>
    public int ImageHeight { get; set; } = 64;

    /// <summary>Channels of a pixel-vector input (images are read as RGB, 3). Default 3.</summary>
    public int Channels { get; set; } = 3;

    /// <summary>Output width; null (default) = <see cref="ImageWidth"/>.</summary>
    public int? OutputWidth { get; set; }

    /// <summary>Output height; null (default) = <see cref="ImageHeight"/>.</summary>
    public int? OutputHeight { get; set; }

    /// <summary>Also output the warp parameters of each row in this float-vector column; null (default) = no such column.</summary>
    public string? WarpColumnName { get; set; }

    /// <summary>Learned modes: the network. <see cref="SpatialArchitecture.Stn"/> or <see cref="SpatialArchitecture.InverseCompositionalStn"/> (default).</summary>
    public SpatialArchitecture Architecture { get; set; } = SpatialArchitecture.InverseCompositionalStn;

    /// <summary>Learned modes: IC-STN steps. Default 4.</summary>
    public int WarpSteps { get; set; } = 4;

    /// <summary>AlignToReference: the reference image file (PNG/JPEG; resized to the output size, read as RGB).</summary>
    public string? ReferenceImagePath { get; set; }

    /// <summary>Learned modes: passes over the training images. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Learned modes: images per batch. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Learned modes: Adam learning rate. Default 5e-5: Adam moves every weight by about the learning rate per step, and
    /// the predictor's last layer sums thousands of features, so 1e-3 throws the warp far off in the first steps (measured:
    /// the network then learns a flat, zoomed-in output instead of aligning).
    /// </summary>
    public double LearningRate { get; set; } = 5e-5;

    /// <summary>
    /// Learned modes: σ of random warps (IC-STN protocol, [-1, 1] frame) applied to each training image every time it is
    /// seen; the network learns to undo them (self-supervision: a training set holding only the reference works). 0 = off.
    /// Default 0.05.
    /// </summary>
    public double PerturbationStrength { get; set; } = 0.05;

    /// <summary>Learned modes: seed of weights, shuffling, perturbations and sampler noise. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Learned modes: where to train. Default <see cref="ComputeDevice.Auto"/>.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Learned modes: called after every epoch with (epoch, mean loss).</summary>
    public Action<int, double>? Progress { get; set; }

    /// <summary>Learned modes: stops training within one batch.</summary>
    public CancellationToken CancellationToken { get; set; }

    internal SpatialTransformerOptions ToModuleOptions() => new()
    {
        Warp = Warp,
        Sampler = Sampler,
        SamplerOptions = SamplerOptions,
        Padding = Padding,
        AlignCorners = AlignCorners,
        Channels = Channels,
        ImageHeight = ImageHeight,
        ImageWidth = ImageWidth,
        OutputHeight = OutputHeight ?? ImageHeight,
        OutputWidth = OutputWidth ?? ImageWidth,
        WarpSteps = WarpSteps,
    };

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, $"Unknown {nameof(SpatialTransformMode)}.");
        if (OutputWidth is < 1) throw new ArgumentOutOfRangeException(nameof(OutputWidth), OutputWidth, "Must be ≥ 1.");
        if (OutputHeight is < 1) throw new ArgumentOutOfRangeException(nameof(OutputHeight), OutputHeight, "Must be ≥ 1.");
        ToModuleOptions().Validate();
        int p = Warp.ParameterCount();
        if (Mode == SpatialTransformMode.Warp)
        {
            if ((Parameters is null) == (ParametersColumnName is null))
                throw new ArgumentException("Warp mode needs exactly one of Parameters (the same warp for every row) or ParametersColumnName (a warp per row).", nameof(Parameters));
            if (Parameters is not null)
            {
                if (Parameters.Length != p)
                    throw new ArgumentException($"A {Warp} warp has {p} parameters; Parameters holds {Parameters.Length}.", nameof(Parameters));
                if (Parameters.Any(v => !float.IsFinite(v)))
                    throw new ArgumentException("Parameters must be finite numbers.", nameof(Parameters));
                WarpSingularity.ThrowIfSingular(Parameters, Warp, nameof(Parameters));
            }
            return;
        }
        if (Architecture is not (SpatialArchitecture.Stn or SpatialArchitecture.InverseCompositionalStn))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Learned modes need an Stn or InverseCompositionalStn network.");
        if (Mode == SpatialTransformMode.AlignToReference)
        {
            if (string.IsNullOrWhiteSpace(ReferenceImagePath))
                throw new ArgumentException("AlignToReference needs ReferenceImagePath.", nameof(ReferenceImagePath));
            if (!File.Exists(ReferenceImagePath))
                throw new FileNotFoundException($"ReferenceImagePath '{ReferenceImagePath}' does not exist.", ReferenceImagePath);
        }
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Must be ≥ 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Must be ≥ 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be a finite number > 0.");
        if (!(PerturbationStrength >= 0) || double.IsInfinity(PerturbationStrength)) throw new ArgumentOutOfRangeException(nameof(PerturbationStrength), PerturbationStrength, "Must be a finite number ≥ 0.");
    }
}
