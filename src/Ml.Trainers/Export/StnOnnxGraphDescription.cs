using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Onnx;

namespace Ml.Trainers.Export;

/// <summary>
/// Everything a host needs to serve an exported STN classifier graph with any ONNX Runtime: the input and output
/// tensors, how the ML.NET chain makes the input pixels, the class labels, and the graph's SHA-256.
/// </summary>
public sealed class StnOnnxGraphDescription
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep '+' and '"' readable
    };

    private StnOnnxGraphDescription(StnGraphMetadata metadata, ModelProto model, byte[] onnxModel)
    {
        InputIsImage = metadata.InputIsImage;
        Channels = metadata.Channels;
        Height = metadata.Height;
        Width = metadata.Width;
        Preprocessing = metadata.PreprocessingSummary;
        PixelScale = metadata.InputIsImage ? 1f / 255 : 1f;
        ClassLabels = metadata.ClassLabels;
        OpsetVersion = model.OpsetImport.FirstOrDefault(o => o.Domain == "")?.Version ?? 0;
        Producer = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        Summary = model.DocString;
        Sha256 = Convert.ToHexString(SHA256.HashData(onnxModel)).ToLowerInvariant();

        var graph = model.Graph;
        if (graph.Input.Count != 1)
            throw new InvalidDataException($"The STN classifier graph has {graph.Input.Count} inputs; expected 1 (the pixels).");
        Input = Tensor(graph.Input[0], "Pixels. " + Preprocessing);
        var outputs = new List<StnOnnxTensor>
        {
            Tensor(Output(graph, metadata.ScoreOutput),
                "Softmax probabilities in class order: slot i is ClassLabels[i] (ML.NET key i + 1). All NaN for a row that cannot be scored (a NaN or infinite pixel, warp or score)."),
            Tensor(Output(graph, metadata.PredictedLabelOutput),
                $"The class label of the largest score; \"{UnscoredLabel}\" (empty) for a row that cannot be scored."),
        };
        if (metadata.WarpOutput is { } warp)
            outputs.Add(Tensor(Output(graph, warp), "The final warp parameters of each image; NaN for a row that cannot be scored."));
        if (metadata.RectifiedOutput is { } rectified)
            outputs.Add(Tensor(Output(graph, rectified),
                "The image the classifier saw (channels x height x width, channel-major); NaN for a row that cannot be scored."));
        Outputs = outputs;
    }

    /// <summary>The graph input: float32 [N, <see cref="Channels"/>·<see cref="Height"/>·<see cref="Width"/>].</summary>
    public StnOnnxTensor Input { get; }

    /// <summary>The graph outputs: the scores, the predicted label, and the optional warp and rectified image.</summary>
    public IReadOnlyList<StnOnnxTensor> Outputs { get; }

    /// <summary>
    /// True when the model was trained on an ML.NET image column: the chain resizes each image to
    /// <see cref="Width"/>×<see cref="Height"/> (ML.NET's <c>ResizeImages</c> with <c>Fill</c>: stretched, nearest
    /// neighbour, aspect ratio not kept) and reads it with <c>ExtractPixels</c> (R, G, B planes times
    /// <see cref="PixelScale"/>, alpha dropped; SkiaSharp decodes a semi-transparent pixel with its colour premultiplied
    /// by alpha, so a fully transparent pixel reads as black). False for a float pixel-vector column, which is fed to the
    /// graph as it is.
    /// </summary>
    public bool InputIsImage { get; }

    /// <summary>Channels of the input (3, R, G, B, for images).</summary>
    public int Channels { get; }

    /// <summary>Height of the network input.</summary>
    public int Height { get; }

    /// <summary>Width of the network input.</summary>
    public int Width { get; }

    /// <summary>Layout of the input vector: "CHW" (channel-major: all of channel 0 row by row, then channel 1, ...).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "A member of the serialized description (model.json).")]
    public string Layout => "CHW";

    /// <summary>Order of the channels: "RGB" for images.</summary>
    public string ChannelOrder => InputIsImage ? "RGB" : "as given";

    /// <summary>Factor from a pixel byte (0–255) to the input value: 1/255 for images (offset 0), 1 for pixel vectors.</summary>
    public float PixelScale { get; }

    /// <summary>How the input is made, in one sentence (also in the graph's metadata, key <c>mllinearized.preprocessing</c>).</summary>
    public string Preprocessing { get; }

    /// <summary>The class labels in score-slot order.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>The predicted label of a row that cannot be scored: "" (ML.NET maps it to the missing key 0).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "A member of the serialized description (model.json).")]
    public string UnscoredLabel => Ml.Transforms.Onnx.SpatialClassifierOnnxExporter.UnscoredLabel;

    /// <summary>The default-domain ONNX opset the graph imports.</summary>
    public long OpsetVersion { get; }

    /// <summary>Producer name and version recorded in the graph.</summary>
    public string Producer { get; }

    /// <summary>The graph's own description (architecture, warp, sampler, downsampling).</summary>
    public string Summary { get; }

    /// <summary>SHA-256 of the ONNX bytes, lower-case hex: record it when you save a model and compare it before serving.</summary>
    public string Sha256 { get; }

    /// <summary>This description as indented JSON (camelCase names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    internal static StnOnnxGraphDescription Create(ModelProto model, byte[] onnxModel) =>
        new(StnGraphMetadata.ReadFrom(model), model, onnxModel);

    private static ValueInfoProto Output(GraphProto graph, string name) =>
        graph.Output.FirstOrDefault(o => o.Name == name)
        ?? throw new InvalidDataException($"The STN classifier graph has no output '{name}' although its metadata names it. Outputs: {string.Join(", ", graph.Output.Select(o => o.Name))}.");

    private static StnOnnxTensor Tensor(ValueInfoProto value, string meaning)
    {
        var tensor = value.Type.TensorType;
        string type = (TensorProto.Types.DataType)tensor.ElemType switch
        {
            TensorProto.Types.DataType.Float => "float32",
            TensorProto.Types.DataType.String => "string",
            var other => other.ToString().ToLowerInvariant(),
        };
        var shape = tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
            ? d.DimValue.ToString(CultureInfo.InvariantCulture)
            : d.DimParam).ToList();
        return new StnOnnxTensor(value.Name, type, shape, meaning);
    }
}
