using System.ComponentModel;
using Ml.Trainers;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Data;
using TrafficSigns.Training;

namespace TrafficSigns.Cli;

/// <summary>
/// The train command's options. Without <c>--images</c> it trains on traffic signs (GTSRB in the Kaggle layout: the
/// built-in subset, or <c>--data</c>); with it, on a folder with one subfolder per label. Options left out take the defaults of <see cref="TrainDefaults"/> for
/// that data. Every value is checked here, before the numerics check and before anything is read or written.
/// </summary>
internal sealed class TrainSettings : OutputSettings
{
    [CommandOption("--images <DIR>")]
    [Description("Train on your own images: a folder with one subfolder per label (png, jpg, bmp, gif, webp; any size, grayscale or colour).")]
    public string? Images { get; init; }

    [CommandOption("--test-images <DIR>")]
    [Description("With --images: test on this folder (the same label subfolders) instead of a held-out part of --images.")]
    public string? TestImages { get; init; }

    [CommandOption("--overwrite")]
    [Description("Replace the files an earlier train run left in --output (model.zip, summary.md, …); without it train refuses to. Other files there are never touched.")]
    public bool Overwrite { get; init; }

    [CommandOption("--group <HOW>")]
    [Description("With --images: keep related images on one side of the split. Folder: each subfolder below a label folder (a session, a burst); Prefix: each file-name prefix before the last '_' (frames of one video: 00012_00029.png). Default None (image by image).")]
    public ImageGrouping? Group { get; init; }

    [CommandOption("--validation-fraction <F>")]
    [Description("Fraction of each label's images (traffic signs: of each sign's tracks) for validation (keep-best, early stopping), 0-0.9.")]
    [DefaultValue(0.1)]
    public double ValidationFraction { get; init; } = 0.1;

    [CommandOption("--test-fraction <F>")]
    [Description("With --images and no --test-images: fraction of each label's images held out for the test, 0.01-0.9.")]
    [DefaultValue(0.2)]
    public double TestFraction { get; init; } = 0.2;

    [CommandOption("--image-size <N>")]
    [Description("Side of the network's input (images are resized to N×N). Default 32; with --images and without --downsampling it follows the images: 48 when their median shorter side is 48 px or more, their own size (at least 16, at 1× downsampling) when it is under 32.")]
    public int? ImageSize { get; init; }

    [CommandOption("--architecture <NAME>")]
    [Description("None (a plain CNN), Stn or InverseCompositionalStn. Default InverseCompositionalStn.")]
    public string? ArchitectureName { get; init; }

    /// <summary>--architecture, parsed by <see cref="Validate"/>; null = the data's default.</summary>
    public SpatialArchitecture? Architecture { get; private set; }

    [CommandOption("--sampler <NAME>")]
    [Description("Sampler while training: Bilinear, Linearized, MultiScale (or Nearest, Bicubic).")]
    [DefaultValue(SamplingMode.Linearized)]
    public SamplingMode Sampler { get; init; } = SamplingMode.Linearized;

    [CommandOption("--downsampling|--factor|--factors <N>")]
    [Description("1, 2, 4 or 8: the classifier sees image-size / N pixels a side. Default 2; with --images and without --image-size, 1 for images whose median shorter side is under 32 px.")]
    public int? Downsampling { get; init; }

    [CommandOption("--epochs <N>")]
    [Description("Passes over the training images. Default 20 for --images, 10 for traffic signs; the best validation epoch is kept.")]
    public int? Epochs { get; init; }

    [CommandOption("--patience <N>")]
    [Description("Stop after N epochs without a better validation accuracy; 0 = never (the default).")]
    public int? Patience { get; init; }

    [CommandOption("--perturbation <SIGMA>")]
    [Description("σ of the random warps (corner moves and shift) applied to training images, 0-1 (0 = none). Default 0.")]
    public double? Perturbation { get; init; }

    [CommandOption("--batch <N>")]
    [Description("Images per mini-batch.")]
    [DefaultValue(100)]
    public int Batch { get; init; } = 100;

    [CommandOption("--learning-rate <RATE>")]
    [Description("Adam learning rate of the classifier (the spatial transformer's is a tenth).")]
    [DefaultValue(0.003)]
    public double LearningRate { get; init; } = 0.003;

    [CommandOption("--translation <SIGMA>")]
    [Description("σ of the random shift of each training image, in half image sides (0.1 = 5 % of the side), 0-1 (0 = none). Adds to --perturbation's shift. Default 0.1 for --images, 0 for traffic signs.")]
    public double? Translation { get; init; }

    [CommandOption("--dropout <P>")]
    [Description("Probability of dropping each of the classifier's features while training, 0-0.9 (0 = none). Default 0.25 for --images, 0 for traffic signs.")]
    public double? Dropout { get; init; }

    [CommandOption("--weight-decay <W>")]
    [Description("Decoupled weight decay of Adam (AdamW), 0 = none (the default).")]
    public double? WeightDecay { get; init; }

    [CommandOption("--in-memory-limit <MB>")]
    [Description("Megabytes of network input (3 KB an image at 32×32, 12 KB at 64×64) that training keeps in memory once read, so that each image is decoded once; a larger data set is streamed: read again every epoch, with memory for a few batches only. 0 = always stream. Default 256 (about 87,000 images at 32×32).")]
    public int? InMemoryLimit { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Auto, Cpu or Cuda.")]
    [DefaultValue(ComputeDevice.Auto)]
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    [CommandOption("--seed <N>")]
    [Description("Seed of the split, weights, shuffling, perturbations and sampler noise.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Traffic signs: GTSRB in the Kaggle layout (Train/<classId>/*.png, Test.csv, signnames.csv), e.g. the Kaggle download. Default the built-in subset.")]
    public string? Data { get; init; }

    [CommandOption("--tracks <N>")]
    [Description("Traffic signs: only the first N tracks of each class (0 = all).")]
    [DefaultValue(0)]
    public int Tracks { get; init; }

    /// <summary>Training on --images rather than traffic signs.</summary>
    public bool OwnImages => Images is not null;

    /// <summary>The defaults for the data being trained on.</summary>
    public TrainDefaults Defaults => OwnImages ? TrainDefaults.OwnImages : TrainDefaults.TrafficSigns;

    /// <summary>The trainer's options (the output's Rectified column on; progress and cancellation set by the command).</summary>
    /// <param name="medianShorterSide">Your own images: the median shorter side of the images, which picks the input size and the downsampling when neither --image-size nor --downsampling is given (<see cref="TrainDefaults.OwnImageInput"/>; with one of them given, the other keeps its default).</param>
    public StnImageClassificationOptions TrainerOptions(int? medianShorterSide = null)
    {
        var (size, downsampling) = InputFor(medianShorterSide);
        return new StnImageClassificationOptions
        {
            Architecture = Architecture ?? Defaults.Architecture,
            RectifiedColumnName = "Rectified",
            InMemoryLimitMegabytes = InMemoryLimit ?? new StnImageClassificationOptions().InMemoryLimitMegabytes,
            ClassifierDropout = Dropout ?? Defaults.Dropout,
            Transformer = { Sampler = Sampler, Downsampling = downsampling, ImageWidth = size, ImageHeight = size },
            Training =
            {
                Epochs = Epochs ?? Defaults.Epochs, EarlyStoppingPatience = Patience ?? Defaults.Patience, PerturbationStrength = Perturbation ?? Defaults.Perturbation,
                TranslationStrength = Translation ?? Defaults.Translation,
                BatchSize = Batch, LearningRate = LearningRate, WeightDecay = WeightDecay ?? Defaults.WeightDecay, Device = Device, Seed = Seed,
            },
        };
    }

    /// <summary>Whether the images chose the input (size and downsampling): your own images, neither option given.</summary>
    public bool InputFromImages => OwnImages && ImageSize is null && Downsampling is null;

    /// <summary>The network input side and downsampling: the options where given, else from the images (<see cref="TrainDefaults.OwnImageInput"/>), else the defaults.</summary>
    private (int ImageSize, int Downsampling) InputFor(int? medianShorterSide)
    {
        if (InputFromImages && medianShorterSide is { } side)
            return TrainDefaults.OwnImageInput(side);
        // One of the two given: the option, and for the other the images' size at 2× (48 or 32) or the default.
        int size = ImageSize ?? (OwnImages && medianShorterSide is { } s ? TrainDefaults.OwnImageSize(s) : Defaults.ImageSize);
        return (size, Downsampling ?? Defaults.Downsampling);
    }

    /// <summary>The files train writes into --output.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["model.zip", "training-curves.png", "rectified.png", "confusion-matrix.md", "summary.md"];

    public override ValidationResult Validate() => First(
        base.Validate,
        () => !Overwrite && Directory.Exists(Output) && OutputFolder.Existing(Output, OutputFiles) is { Count: > 0 } existing
            ? ValidationResult.Error(OutputFolder.RefusalMessage(Output, existing, "train"))
            : ValidationResult.Success(),
        () => TestImages is not null && Images is null ? ValidationResult.Error("--test-images goes with --images (the folder to train on).") : ValidationResult.Success(),
        () => Group is not null && Images is null
            ? ValidationResult.Error("--group goes with --images (the traffic-sign run keeps each track on one side already).") : ValidationResult.Success(),
        () => OptionValues.Defined("--group", Group ?? ImageGrouping.None),
        () => OwnImages && (Data is not null || Tracks != 0)
            ? ValidationResult.Error("--data and --tracks choose the traffic-sign data; with --images leave them out.")
            : ValidationResult.Success(),
        () => OptionValues.Existing("--data", Data, folder: true),
        () => OptionValues.Existing("--images", Images, folder: true),
        () => OptionValues.Existing("--test-images", TestImages, folder: true),
        () => ArchitectureName is null || (Architecture = OptionValues.Enum<SpatialArchitecture>(ArchitectureName)) is not null ? ValidationResult.Success()
            : ValidationResult.Error($"--architecture must be one of {string.Join(", ", Enum.GetNames<SpatialArchitecture>())}; got '{ArchitectureName}'."),
        () => OptionValues.Defined("--sampler", Sampler),
        () => OptionValues.Defined("--device", Device),
        () => Downsampling is not { } factor || StnImageClassificationOptions.DownsamplingFactors.Contains(factor) ? ValidationResult.Success()
            : ValidationResult.Error($"--downsampling must be one of {string.Join(", ", StnImageClassificationOptions.DownsamplingFactors)}; got {Downsampling}."),
        () => (ImageSize ?? Defaults.ImageSize) % (Downsampling ?? Defaults.Downsampling) == 0 ? ValidationResult.Success()
            : ValidationResult.Error($"--image-size {ImageSize ?? Defaults.ImageSize} is not divisible by --downsampling {Downsampling ?? Defaults.Downsampling}; the classifier's input would not be whole pixels."),
        () => OptionValues.AtLeast("--epochs", Epochs ?? 1, 1),
        () => OptionValues.AtLeast("--batch", Batch, 1),
        () => OptionValues.AtLeast("--in-memory-limit", InMemoryLimit ?? 0, 0),
        () => OptionValues.Between("--validation-fraction", ValidationFraction, 0, 0.9),
        () => OptionValues.Between("--test-fraction", TestFraction, 0.01, 0.9),
        () => OptionValues.Between("--image-size", ImageSize ?? Defaults.ImageSize, 8, 512),
        () => OptionValues.Between("--perturbation", Perturbation ?? 0, 0, 1),
        () => OptionValues.Between("--translation", Translation ?? 0, 0, 1),
        () => OptionValues.Between("--dropout", Dropout ?? 0, 0, 0.9),
        () => OptionValues.FiniteAtLeastZero("--weight-decay", WeightDecay),
        () => OptionValues.AtLeast("--patience", Patience ?? 0, 0),
        () => OptionValues.AtLeast("--tracks", Tracks, 0),
        () => OptionValues.AtLeast("--seed", Seed, 0),
        () => double.IsFinite(LearningRate) && LearningRate > 0 ? ValidationResult.Success() : ValidationResult.Error($"--learning-rate must be a finite number > 0; got {LearningRate}."),
        () => Device == ComputeDevice.Cuda && !TorchSharp.torch.cuda.is_available()
            ? ValidationResult.Error("--device Cuda: no CUDA device here (or the app has a CPU-only libtorch backend). Use --device Auto or Cpu.")
            : ValidationResult.Success(),
        () => OptionValues.Checked(() => TrainerOptions().Validate()));
}
