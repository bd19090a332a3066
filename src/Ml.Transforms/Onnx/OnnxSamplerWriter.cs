using Ml.Transforms.Checks;
using Ml.Transforms.Sampling;
using Onnx;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Writes <see cref="GridSampler.GridSample"/> for the deterministic (inference) sampling modes as ONNX GridSample
/// nodes with the module's padding mode and alignment. MultiScale becomes an AveragePool(2, 2) pyramid with one
/// bilinear GridSample per level, summed and divided by the number of levels (as the multi-scale sampler does).
/// </summary>
internal sealed class OnnxSamplerWriter
{
    private readonly OnnxGraphBuilder graph;
    private readonly PaddingMode padding;
    private readonly bool alignCorners;
    private readonly SamplerOptions samplerOptions;

    public OnnxSamplerWriter(OnnxGraphBuilder graph, PaddingMode padding, bool alignCorners, SamplerOptions samplerOptions)
    {
        this.graph = graph;
        this.padding = padding;
        this.alignCorners = alignCorners;
        this.samplerOptions = samplerOptions;
    }

    /// <summary>
    /// The sampler a module uses in eval mode (its <c>CurrentSampler</c> with training off): Linearized samples
    /// exactly bilinearly there, every other mode keeps its own forward.
    /// </summary>
    public static SamplingMode InferenceMode(SamplingMode configured) =>
        configured == SamplingMode.Linearized ? SamplingMode.Bilinear : configured;

    /// <summary>
    /// Samples <paramref name="image"/> ([N, C, <paramref name="inputHeight"/>, <paramref name="inputWidth"/>]) at
    /// <paramref name="grid"/> ([N, Hout, Wout, 2]) with <paramref name="mode"/> (an inference mode).
    /// </summary>
    public string Sample(string image, string grid, SamplingMode mode, long inputHeight, long inputWidth, long outputHeight, long outputWidth)
    {
        switch (mode)
        {
            case SamplingMode.Nearest:
            case SamplingMode.Bilinear:
            case SamplingMode.Bicubic:
                return GridSample(image, grid, mode);
            case SamplingMode.MultiScale:
                return MultiScale(image, grid, inputHeight, inputWidth, outputHeight, outputWidth);
            case SamplingMode.Linearized:
                throw new InvalidOperationException("Linearized sampling is bilinear at inference; map it with InferenceMode first.");
            default:
                throw UnknownEnum.Value(mode, nameof(mode));
        }
    }

    /// <summary>Number of pyramid levels of the multi-scale sampler (its Levels option, or 1 + round(log2(min ratio)), at least 1).</summary>
    public static int MultiScaleLevels(SamplerOptions options, long inputHeight, long inputWidth, long outputHeight, long outputWidth)
    {
        return options.Levels > 0 ? options.Levels : MultiScaleSampler.AutomaticLevels(inputHeight, inputWidth, outputHeight, outputWidth);
    }

    private string MultiScale(string image, string grid, long height, long width, long outputHeight, long outputWidth)
    {
        int levels = MultiScaleLevels(samplerOptions, height, width, outputHeight, outputWidth);
        var sum = GridSample(image, grid, SamplingMode.Bilinear);
        var level = image;
        int used = 1;
        for (int i = 1; i < levels && height >= 2 && width >= 2; i++, used++)
        {
            // avg_pool2d(level, 2): kernel 2, stride 2, no padding, floor rounding.
            level = graph.Add("AveragePool", [level],
            [
                OnnxGraphBuilder.Ints("kernel_shape", 2, 2),
                OnnxGraphBuilder.Ints("strides", 2, 2),
            ]);
            height /= 2;
            width /= 2;
            sum = graph.Add("Add", sum, GridSample(level, grid, SamplingMode.Bilinear));
        }
        return used == 1 ? sum : graph.Add("Div", sum, graph.FloatScalar("multiscale_levels", used));
    }

    private string GridSample(string image, string grid, SamplingMode mode)
    {
        // Opset 20 renamed the modes "bilinear" / "bicubic" to "linear" / "cubic".
        bool renamed = graph.OpsetVersion >= 20;
        string onnxMode = mode switch
        {
            SamplingMode.Nearest => "nearest",
            SamplingMode.Bilinear => renamed ? "linear" : "bilinear",
            SamplingMode.Bicubic => renamed ? "cubic" : "bicubic",
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a GridSample mode."),
        };
        string onnxPadding = padding switch
        {
            PaddingMode.Zeros => "zeros",
            PaddingMode.Border => "border",
            PaddingMode.Reflection => "reflection",
            _ => throw UnknownEnum.Value(padding, nameof(padding)),
        };
        return graph.Add("GridSample", [image, grid], new AttributeProto[]
        {
            OnnxGraphBuilder.String("mode", onnxMode),
            OnnxGraphBuilder.String("padding_mode", onnxPadding),
            OnnxGraphBuilder.Int("align_corners", alignCorners ? 1 : 0),
        });
    }
}
