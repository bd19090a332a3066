using Ml.Trainers;
using Ml.Transforms.Modules;

namespace TrafficSigns.Training;

/// <summary>
/// The train command's defaults, each overridable on the command line. Your own images (<c>--images</c>): the library's
/// defaults (<see cref="StnImageClassificationOptions"/>: chosen for data it has never seen; README, "Train on your own
/// images", says why). Traffic signs: the setting measured best within the time budget.
/// </summary>
internal sealed record TrainDefaults(SpatialArchitecture Architecture, int Downsampling, int ImageSize, int Epochs, int Patience, double Perturbation,
    double Translation = 0, double Dropout = 0, double WeightDecay = 0)
{
    /// <summary>
    /// GTSRB: IC-STN with linearized sampling at 2× downsampling, 32×32, 10 epochs (the cosine schedule over 10), no
    /// perturbation, no early stopping: the setting that reached ≥ 96.5 % on held-out tracks within 15 minutes on 2 cores
    /// (docs/results.md, section 1).
    /// </summary>
    public static TrainDefaults TrafficSigns { get; } = new(SpatialArchitecture.InverseCompositionalStn, 2, 32, 10, 0, 0);

    /// <summary>Your own images: <see cref="StnImageClassificationOptions"/>' defaults.</summary>
    public static TrainDefaults OwnImages { get; } = FromLibrary(new StnImageClassificationOptions());

    /// <summary>The network input used for your own images when their median shorter side is at least this many pixels.</summary>
    public const int LargerImageSize = 48;

    /// <summary>The smallest input side taken for small images (smaller ones are enlarged to it).</summary>
    public const int SmallestImageSize = 16;

    /// <summary>
    /// The network input side and downsampling for your own images, from the median shorter side of the images (0 when
    /// unknown: the library's defaults):
    /// <list type="bullet">
    /// <item>at least 48 px: 48×48 at 2× (the classifier sees 24×24). Measured (docs/results.md §6): on 12,000
    /// Fashion-MNIST images at 28 / 56 / 84 px, 88.49 % at 48×48 against 87.44 % at 32×32; on the mixed-size GTSRB
    /// folders 99.11 % against 98.72 %; about twice the training time, inside the 15 minutes a 10,000-image folder may
    /// take on 2 cores.</item>
    /// <item>32 to 47 px: the library's 32×32 at 2×.</item>
    /// <item>under 32 px: the images' own size (at least 16) at 1×, so that the classifier sees every pixel they have
    /// instead of half of them in each direction. On 28-px Fashion-MNIST 28×28 at 1× gave 89.99 % on 8,570 test images
    /// against 88.60 % at 32×32 and 2×, and 88.55 % for the plain CNN (9.3 min for 10,000 images, against 3.5 min and
    /// 10.5 min).</item>
    /// </list>
    /// </summary>
    public static (int ImageSize, int Downsampling) OwnImageInput(int medianShorterSide) =>
        TakenAtOwnSize(medianShorterSide)
            ? (Math.Max(medianShorterSide, SmallestImageSize), 1)
            : (OwnImageSize(medianShorterSide), OwnImages.Downsampling);

    /// <summary>Whether images of this median shorter side are smaller than the library's input, and so go in at their own size at 1× (0: unknown, no).</summary>
    public static bool TakenAtOwnSize(int medianShorterSide) => medianShorterSide > 0 && medianShorterSide < OwnImages.ImageSize;

    /// <summary>
    /// The input side at the default downsampling: 48 when the images have at least 48 pixels to give, else the
    /// library's 32. Also the size when only --downsampling is given (both are divisible by every factor).
    /// </summary>
    public static int OwnImageSize(int medianShorterSide) => medianShorterSide >= LargerImageSize ? LargerImageSize : OwnImages.ImageSize;

    private static TrainDefaults FromLibrary(StnImageClassificationOptions o) =>
        new(o.Architecture, o.Transformer.Downsampling, o.Transformer.ImageWidth, o.Training.Epochs, o.Training.EarlyStoppingPatience, o.Training.PerturbationStrength,
            o.Training.TranslationStrength, o.ClassifierDropout, o.Training.WeightDecay);
}
