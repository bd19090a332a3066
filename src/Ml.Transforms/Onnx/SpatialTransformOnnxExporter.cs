using Google.Protobuf;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Onnx;
using static TorchSharp.torch;

namespace Ml.Transforms.Onnx;

/// <summary>
/// ONNX inference graphs of <c>WarpImages</c> and <c>AlignImages</c>: a learned alignment network (STN or IC-STN, eval mode),
/// or a given warp (fixed parameters, or per-row parameters as a second input). Input <see cref="InputName"/>
/// [N, C·H·W] pixels (channel-major, [0, 1]); output <see cref="OutputName"/> [N, C·Hout·Wout]; optional
/// <see cref="WarpName"/> [N, P]. Built from the same writers as <see cref="SpatialClassifierOnnxExporter"/>.
/// Rows that cannot be warped (ONNX cannot throw per row): a NaN or infinite pixel, or a warp that comes out NaN or
/// infinite, gives an all-NaN row (all zeros, black, when the output is clamped for an image) and an all-NaN warp; a
/// NaN or infinite per-row parameter gives the identity warp and an all-zero (black) row.
/// </summary>
internal static class SpatialTransformOnnxExporter
{
    public const string InputName = "pixels";
    public const string ParametersName = "parameters";
    public const string OutputName = "warped";
    public const string WarpName = "warp";

    /// <summary>The eval-mode graph of a trained alignment network.</summary>
    public static byte[] ExportLearned(SpatialTransformerBase module, bool includeWarp, bool clampToUnitRange, int opset = OnnxExportOptions.DefaultOpsetVersion)
    {
        foreach (var (name, parameter) in module.named_parameters())
            if (parameter.dtype != ScalarType.Float32)
                throw new ArgumentException($"The ONNX export needs a float32 network; parameter '{name}' is {parameter.dtype}.", nameof(module));
        return Export(module.Options, opset, includeWarp, clampToUnitRange, "learned alignment network",
            (graph, image) =>
            {
                var networks = new OnnxNetworkWriter(graph);
                var warps = new OnnxWarpWriter(graph, module.Options.Warp, module.Options.AlignCorners);
                var sampler = new OnnxSamplerWriter(graph, module.Options.Padding, module.Options.AlignCorners, module.Options.SamplerOptions);
                return SpatialClassifierOnnxExporter.Transform(module, module.Options, image, graph, networks, warps, sampler);
            });
    }

    /// <summary>The graph of a given warp: <paramref name="fixedParameters"/> (P values) for every row, or, when null, a second input <see cref="ParametersName"/> [N, P].</summary>
    public static byte[] ExportWarp(SpatialTransformerOptions t, float[]? fixedParameters, bool includeWarp, bool clampToUnitRange, int opset = OnnxExportOptions.DefaultOpsetVersion)
    {
        int p = t.Warp.ParameterCount();
        if (fixedParameters is not null && fixedParameters.Length != p)
            throw new ArgumentException($"A {t.Warp} warp has {p} parameters; got {fixedParameters.Length}.", nameof(fixedParameters));
        return Export(t, opset, includeWarp, clampToUnitRange, fixedParameters is null ? "per-row warp" : "fixed warp",
            (graph, image) =>
            {
                var warps = new OnnxWarpWriter(graph, t.Warp, t.AlignCorners);
                var sampler = new OnnxSamplerWriter(graph, t.Padding, t.AlignCorners, t.SamplerOptions);
                string parameters;
                string? keep = null;
                if (fixedParameters is null)
                {
                    // Per-row parameters: a row with a NaN or infinite parameter is sampled with the identity and then
                    // zeroed (all black), so one bad row cannot leak unspecified values; ONNX cannot throw per row.
                    var given = graph.Input(ParametersName, TensorProto.Types.DataType.Float, "N", (long)p);
                    var bad = OnnxNonFiniteRows.Find(graph, given);
                    parameters = OnnxNonFiniteRows.Zero(graph, given, bad);
                    var keepRow = graph.Add("Cast", [graph.Add("Not", bad)], [OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Float)]);
                    keep = graph.Add("Reshape", keepRow, graph.Int64Constant(-1, 1, 1, 1));
                }
                else
                {
                    parameters = graph.Add("Add", warps.Identity(image), graph.FloatInitializer("fixed_warp", fixedParameters, 1, p));
                }
                var warped = sampler.Sample(image, warps.ToGrid(parameters, t.OutputHeightInUse, t.OutputWidthInUse, t.FrameScale),
                    OnnxSamplerWriter.InferenceMode(t.Sampler), t.ImageHeight, t.ImageWidth, t.OutputHeightInUse, t.OutputWidthInUse);
                return (keep is null ? warped : graph.Add("Mul", warped, keep), parameters);
            });
    }

    private static byte[] Export(SpatialTransformerOptions t, int opset, bool includeWarp, bool clampToUnitRange, string description,
        Func<OnnxGraphBuilder, string, (string Warped, string Parameters)> body)
    {
        var graph = new OnnxGraphBuilder("SpatialTransform", opset);
        foreach (var name in new[] { OutputName, WarpName })
            graph.ExactName(name);
        var pixels = graph.Input(InputName, TensorProto.Types.DataType.Float, "N", (long)t.Channels * t.ImageHeight * t.ImageWidth);
        // A row with a NaN or infinite pixel, or whose warp comes out NaN or infinite, is computed on zeros (no NaN reaches
        // GridSample) and comes out all NaN, its warp too; ONNX cannot throw per row.
        var badPixels = OnnxNonFiniteRows.Find(graph, pixels);
        var image = graph.Add("Reshape", OnnxNonFiniteRows.Zero(graph, pixels, badPixels), graph.Int64Constant(-1, t.Channels, t.ImageHeight, t.ImageWidth));
        var (warped, parameters) = body(graph, image);
        var bad = OnnxNonFiniteRows.Or(graph, badPixels, OnnxNonFiniteRows.Find(graph, parameters));
        if (clampToUnitRange)
            warped = graph.Add("Clip", warped, graph.FloatScalar("zero", 0), graph.FloatScalar("one", 1));
        var flat = graph.Add("Flatten", [warped], [OnnxGraphBuilder.Int("axis", 1)]);
        // An image output cannot hold NaN: such a row becomes black there.
        if (clampToUnitRange)
            OnnxNonFiniteRows.Zero(graph, flat, bad, OutputName);
        else
            OnnxNonFiniteRows.MarkNaN(graph, flat, bad, OutputName);
        graph.Output(OutputName, TensorProto.Types.DataType.Float, "N", (long)t.Channels * t.OutputHeightInUse * t.OutputWidthInUse);
        if (includeWarp)
        {
            OnnxNonFiniteRows.MarkNaN(graph, parameters, bad, WarpName);
            graph.Output(WarpName, TensorProto.Types.DataType.Float, "N", (long)t.Warp.ParameterCount());
        }
        var model = new ModelProto
        {
            IrVersion = SpatialClassifierOnnxExporter.IrVersionFor(opset),
            ProducerName = "Ml.Transforms",
            DocString = $"SpatialTransform: {description} ({t.Warp}, {t.Sampler} sampler, {t.ImageWidth}x{t.ImageHeight} -> {t.OutputWidthInUse}x{t.OutputHeightInUse}).",
            Graph = graph.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }
}
