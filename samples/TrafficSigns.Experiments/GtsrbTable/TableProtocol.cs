using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>
/// How the table frames GTSRB (<c>--protocol</c>). <see cref="WholeImage"/>: this project's earlier protocol — the whole
/// 32×32 image is the network's frame, the classifier sees 32/f pixels a side, the classifier widths are the library's
/// defaults, the test set is held-out tracks. <see cref="IcStn"/>: the inverse-compositional STN traffic-sign code's
/// framing (chenhsuanlin/inverse-compositional-STN, traffic-sign-tensorflow: 50×50 images, the network's canonical frame
/// the central 36×36, box [7, 7, 43, 43]) — each image file resized once to 50×50 as that code's data.py does with
/// scipy.misc.imresize (bilinear): from GTSRB's original sizes when the data folder has them (the Kaggle layout), else
/// 32×32 copies upsampled (../shared), which stand in for its 50×50 images; every warp
/// and perturbation reads the whole 50×50 image; the classifier sees ⌈36/f⌉ pixels a side (36, 18, 9, 5) with widths
/// chosen so that its parameter count is the linearized-sampling paper's (966k, 246k, 61k, 19k); the official GTSRB
/// test set when the data folder has it, held-out tracks otherwise.
/// </summary>
internal sealed record TableProtocol(string Name, int ImageSize, double FrameScale, int FrameSize, bool UsesOfficialTestSet)
{
    public static TableProtocol WholeImage { get; } = new("whole-image", 32, 1, 32, UsesOfficialTestSet: false);

    public static TableProtocol IcStn { get; } = new("icstn", 50, 36.0 / 50, 36, UsesOfficialTestSet: true);

    public static TableProtocol Parse(string name) => name.ToLowerInvariant() switch
    {
        "whole-image" => WholeImage,
        "icstn" => IcStn,
        _ => throw new ArgumentException($"--protocol: unknown protocol '{name}'; expected whole-image (the earlier one) or icstn (the IC-STN paper's framing)."),
    };

    /// <summary>The linearized-sampling paper's classifier parameter counts at 1×, 2×, 4×, 8× (its GTSRB table).</summary>
    private static readonly Dictionary<int, int> PaperClassifierParameters = new() { [1] = 966_000, [2] = 246_000, [4] = 61_000, [8] = 19_000 };

    /// <summary>Side of the classifier's input at <paramref name="downsampling"/>: ⌈frame / f⌉.</summary>
    public int OutputSize(int downsampling) => (FrameSize + downsampling - 1) / downsampling;

    /// <summary>The network of one cell: <paramref name="architecture"/> with <paramref name="sampler"/> in this framing.</summary>
    public SpatialClassifierOptions Network(SpatialArchitecture architecture, SamplingMode sampler, int downsampling, int classCount, WarpFamily warp)
    {
        var transformer = new SpatialTransformerOptions
        {
            Downsampling = downsampling, Sampler = sampler, Warp = warp, ImageHeight = ImageSize, ImageWidth = ImageSize, FrameScale = FrameScale,
        };
        if (this != WholeImage)
            transformer.OutputHeight = transformer.OutputWidth = OutputSize(downsampling);
        var options = new SpatialClassifierOptions { Architecture = architecture, ClassCount = classCount, Transformer = transformer };
        if (this != WholeImage && PaperClassifierParameters.TryGetValue(downsampling, out int target))
        {
            int w = ClassifierWidth(OutputSize(downsampling), classCount, target, options.ClassifierKernelSize);
            options.ClassifierChannels = [w, 2 * w];
        }
        return options;
    }

    /// <summary>The width w (convolutions 3 → w → 2w, 2×2 max-pool, fully connected) whose parameter count is nearest <paramref name="target"/>.</summary>
    public static int ClassifierWidth(int size, int classCount, int target, int kernel = 3) =>
        Enumerable.Range(1, 512).MinBy(w => Math.Abs(ClassifierParameters(size, classCount, w, kernel) - target));

    /// <summary>Parameters of <see cref="ConvolutionalClassifier"/> for RGB input of size×size and widths (w, 2w).</summary>
    public static long ClassifierParameters(int size, int classCount, int w, int kernel = 3)
    {
        long pooled = size / Math.Min(2, size);
        return 3L * w * kernel * kernel + w + 2L * w * w * kernel * kernel + 2 * w + 2L * w * pooled * pooled * classCount + classCount;
    }

    public string Describe() => this == WholeImage
        ? "whole-image protocol: the whole 32×32 image is the network's frame; the classifier sees 32/f pixels a side (library default widths)"
        : "icstn protocol (the IC-STN traffic-sign code's framing): 50×50 images (the Data line says from which: original sizes resized once, as that code does, or 32×32 copies upsampled), the canonical frame the central 36×36 (FrameScale 0.72); warps and perturbations read the whole 50×50 image; the classifier sees ⌈36/f⌉ pixels a side with widths giving the linearized-sampling paper's parameter counts";
}
