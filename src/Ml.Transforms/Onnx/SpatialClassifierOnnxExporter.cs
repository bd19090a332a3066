using Google.Protobuf;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Onnx;
using static TorchSharp.torch;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Exports the inference graph (eval mode) of a trained <see cref="SpatialClassifier"/> to ONNX, fully unrolled:
/// input reshape, the spatial transformer (none, STN, or every IC-STN step, all steps sharing one set of predictor
/// weights), the resampling with the module's eval-mode sampler, the classifier, softmax and the label lookup.
/// </summary>
/// <remarks>
/// <para>Graph contract:</para>
/// <list type="bullet">
/// <item>input <c>pixels</c>: float32 [N, C·H·W], values in [0, 1], channel-major (CHW) — what ML.NET's
/// <c>ExtractPixels(interleavePixelColors: false, scaleImage: 1 / 255)</c> produces;</item>
/// <item>output <c>Score</c>: float32 [N, K], softmax probabilities in class-index order;</item>
/// <item>output <c>PredictedLabel</c>: string [N], the label of the largest logit;</item>
/// <item>optional outputs <c>Warp</c> (float32 [N, P]) and <c>Rectified</c> (float32 [N, C·Hout·Wout]), see
/// <see cref="OnnxExportOptions"/>;</item>
/// <item>a row that cannot be scored — a NaN or infinite input pixel, or a warp or score that comes out NaN or
/// infinite — is computed on zeros instead (no NaN reaches GridSample) and comes out with every <c>Score</c>,
/// <c>Warp</c> and <c>Rectified</c> value NaN and <c>PredictedLabel</c> = <see cref="UnscoredLabel"/> (""), which
/// ML.NET's <c>MapValueToKey</c> maps to the missing key 0. The other rows of the batch are unaffected.</item>
/// </list>
/// <para>The model is only read: its weights are copied to float32 initializers, its training flag and state are left as
/// they are. Every sampling mode has an exact ONNX counterpart at inference: Linearized samples bilinearly in eval
/// mode, Nearest / Bilinear / Bicubic map to GridSample, MultiScale to an AveragePool pyramid of bilinear GridSamples.</para>
/// <para>Precision: ONNX Runtime agrees with TorchSharp up to float32 rounding (on the same grid, every mode and padding
/// agrees to a few 1e-7; end to end, scores to about 1e-6 in the tests). The rounding differences of the convolutions
/// and matrix products move the warp parameters by a few 1e-7, and a warp that maps output pixels far outside the
/// input (a nearly singular homography) amplifies that; with Reflection padding those far points are read back from
/// inside the image, so for such warps the two runtimes can differ by more than 1e-5.</para>
/// </remarks>
public static class SpatialClassifierOnnxExporter
{
    /// <summary>Name of the graph input.</summary>
    public const string InputName = "pixels";

    /// <summary>Name of the probabilities output.</summary>
    public const string ScoreName = "Score";

    /// <summary>Name of the predicted-label output.</summary>
    public const string PredictedLabelName = "PredictedLabel";

    /// <summary>Name of the optional warp-parameters output.</summary>
    public const string WarpName = "Warp";

    /// <summary>Name of the optional rectified-image output.</summary>
    public const string RectifiedName = "Rectified";

    /// <summary>
    /// The <see cref="PredictedLabelName"/> of a row that cannot be scored (a NaN or infinite pixel, warp or score): the
    /// empty string, which is never a class label of ML.NET's <c>MapValueToKey</c> (it maps "" to the missing key 0).
    /// </summary>
    public const string UnscoredLabel = "";

    /// <summary>Serializes the eval-mode graph of <paramref name="model"/> as an ONNX model.</summary>
    /// <param name="model">A float32 classifier (on any device; its weights are copied to the CPU).</param>
    /// <param name="classLabels">One label per class, in class-index order; its count must equal <c>model.Options.ClassCount</c>.</param>
    /// <param name="options">Optional outputs and opset; null = defaults.</param>
    /// <returns>The bytes of the ONNX ModelProto.</returns>
    /// <exception cref="ArgumentException">Wrong label count, a null or empty label, or a model that is not float32.</exception>
    public static byte[] Export(SpatialClassifier model, IReadOnlyList<string> classLabels, OnnxExportOptions? options = null) =>
        BuildModel(model, classLabels, options).ToByteArray();

    /// <summary>The ONNX model as a protobuf message (what <see cref="Export"/> serializes).</summary>
    internal static ModelProto BuildModel(SpatialClassifier model, IReadOnlyList<string> classLabels, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classLabels);
        options ??= new OnnxExportOptions();
        options.Validate();
        var architecture = model.Options;
        var t = architecture.Transformer;
        if (classLabels.Count != architecture.ClassCount)
            throw new ArgumentException(
                $"The model has {architecture.ClassCount} classes but {classLabels.Count} class labels were given; pass one label per class, in class-index order.",
                nameof(classLabels));
        if (classLabels.Any(string.IsNullOrEmpty))
            throw new ArgumentException(
                "Class labels must not be null or empty: the graph labels a row it cannot score \"\" (UnscoredLabel). Give every class a name.",
                nameof(classLabels));
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.dtype != ScalarType.Float32)
                throw new ArgumentException(
                    $"The ONNX export needs a float32 model; parameter '{name}' is {parameter.dtype}. Export a float32 copy of the model.",
                    nameof(model));
        }

        var graph = new OnnxGraphBuilder("SpatialClassifier", options.OpsetVersion);
        foreach (var output in new[] { ScoreName, PredictedLabelName, WarpName, RectifiedName })
            graph.ExactName(output);
        var networks = new OnnxNetworkWriter(graph);
        var warps = new OnnxWarpWriter(graph, t.Warp, t.AlignCorners);
        var sampler = new OnnxSamplerWriter(graph, t.Padding, t.AlignCorners, t.SamplerOptions);

        long pixelCount = (long)t.Channels * t.ImageHeight * t.ImageWidth;
        var pixels = graph.Input(InputName, TensorProto.Types.DataType.Float, "N", pixelCount);
        // A row with a NaN or infinite pixel is scored as zeros and its outputs are marked below (ONNX cannot throw per row).
        var badPixels = OnnxNonFiniteRows.Find(graph, pixels);
        var image = graph.Add("Reshape", OnnxNonFiniteRows.Zero(graph, pixels, badPixels), graph.Int64Constant(-1, t.Channels, t.ImageHeight, t.ImageWidth));

        var (rectified, parameters) = Transform(model.Transformer, t, image, graph, networks, warps, sampler);

        var logits = networks.Classifier(model.Classifier, rectified);
        var probabilities = graph.Add("Softmax", [logits], [OnnxGraphBuilder.Int("axis", 1)]);
        var bad = OnnxNonFiniteRows.Or(graph, badPixels,
            OnnxNonFiniteRows.Or(graph, OnnxNonFiniteRows.Find(graph, parameters), OnnxNonFiniteRows.Find(graph, probabilities)));
        OnnxNonFiniteRows.MarkNaN(graph, probabilities, bad, ScoreName);
        // A row that cannot be scored gets the label "" (index K of the label table): ML.NET's MapValueToKey maps it to
        // the missing key 0, never to a class.
        var argMax = graph.Add("ArgMax", [logits], [OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0)]);
        var index = graph.Add("Where", graph.Add("Reshape", bad, graph.Int64Constant(-1)), graph.Int64Constant(architecture.ClassCount), argMax);
        var labels = graph.StringInitializer("class_labels", [.. classLabels, UnscoredLabel]);
        graph.Add("Gather", [labels, index], [OnnxGraphBuilder.Int("axis", 0)], PredictedLabelName);

        graph.Output(ScoreName, TensorProto.Types.DataType.Float, "N", (long)architecture.ClassCount);
        graph.Output(PredictedLabelName, TensorProto.Types.DataType.String, "N");
        if (options.IncludeWarp)
        {
            OnnxNonFiniteRows.MarkNaN(graph, parameters, bad, WarpName);
            graph.Output(WarpName, TensorProto.Types.DataType.Float, "N", (long)t.Warp.ParameterCount());
        }
        if (options.IncludeRectified)
        {
            OnnxNonFiniteRows.MarkNaN(graph, graph.Add("Flatten", [rectified], [OnnxGraphBuilder.Int("axis", 1)]), bad, RectifiedName);
            graph.Output(RectifiedName, TensorProto.Types.DataType.Float, "N", (long)t.Channels * t.OutputHeightInUse * t.OutputWidthInUse);
        }

        var onnx = new ModelProto
        {
            IrVersion = IrVersionFor(options.OpsetVersion),
            ProducerName = "Ml.Trainers",
            ProducerVersion = typeof(SpatialClassifierOnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"SpatialClassifier ({architecture.Architecture}, {t.Warp} warp, {t.Sampler} sampler, {t.Downsampling}x downsampling), inference graph.",
            Graph = graph.Graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.OpsetVersion });
        return onnx;
    }

    /// <summary>The transformer part: (rectified [N, C, Hout, Wout], final warp parameters [N, P]).</summary>
    internal static (string Rectified, string Parameters) Transform(SpatialTransformerBase? transformer, SpatialTransformerOptions t, string image,
        OnnxGraphBuilder graph, OnnxNetworkWriter networks, OnnxWarpWriter warps, OnnxSamplerWriter sampler)
    {
        string Resample(string parameters, SamplingMode mode) =>
            sampler.Sample(image, warps.ToGrid(parameters, t.OutputHeightInUse, t.OutputWidthInUse, t.FrameScale), mode,
                t.ImageHeight, t.ImageWidth, t.OutputHeightInUse, t.OutputWidthInUse);

        switch (transformer)
        {
            case null:
            {
                // The baseline: the identity warp at the output size, always bilinear (SpatialClassifier.Downsample).
                var identity = warps.Identity(image);
                return (Resample(identity, SamplingMode.Bilinear), identity);
            }
            case SpatialTransformer stn:
            {
                // The predictor sees the full input (or, with a canonical frame smaller than it, the frame at the
                // predictor's size, bilinear); its output is the warp.
                var seen = t.FrameScale == 1 ? image
                    : sampler.Sample(image, warps.ToGrid(warps.Identity(image), t.PredictorHeightInUse, t.PredictorWidthInUse, t.FrameScale),
                        SamplingMode.Bilinear, t.ImageHeight, t.ImageWidth, t.PredictorHeightInUse, t.PredictorWidthInUse);
                var parameters = networks.Predictor(stn.Predictor, seen);
                return (Resample(parameters, OnnxSamplerWriter.InferenceMode(t.Sampler)), parameters);
            }
            case InverseCompositionalSpatialTransformer icstn:
            {
                var mode = OnnxSamplerWriter.InferenceMode(t.Sampler);
                var parameters = warps.Identity(image);
                for (int step = 0; step < t.WarpSteps; step++)
                {
                    var warped = Resample(parameters, mode);
                    parameters = warps.Compose(parameters, networks.Predictor(icstn.Predictor, warped));
                }
                return (Resample(parameters, mode), parameters);
            }
            default:
                throw new NotSupportedException($"The ONNX export does not know the transformer {transformer.GetType().Name}.");
        }
    }

    /// <summary>The ONNX IR version that goes with the opset (ONNX's versioning table).</summary>
    internal static long IrVersionFor(int opset) => opset switch
    {
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
