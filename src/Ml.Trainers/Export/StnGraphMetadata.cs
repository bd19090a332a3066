using System.Globalization;
using System.Text.Json;
using Onnx;

namespace Ml.Trainers.Export;

/// <summary>
/// What the ONNX graph of a trained STN classifier does not say by itself, written into the graph's
/// <c>metadata_props</c> when the model is trained (ONNX Runtime hosts show them, e.g. <c>InferenceSession.ModelMetadata</c>):
/// where the pixels come from, the network's input size, the class labels and which graph output is which.
/// </summary>
internal sealed record StnGraphMetadata(
    bool InputIsImage, int Channels, int Height, int Width, IReadOnlyList<string> ClassLabels,
    string ScoreOutput, string PredictedLabelOutput, string? WarpOutput, string? RectifiedOutput)
{
    /// <summary>Value of <see cref="ModelKey"/> for the classifier's graph.</summary>
    public const string ModelKind = "StnImageClassification";

    private const string Prefix = "mllinearized.";
    private const string ModelKey = Prefix + "model";
    private const string FormatKey = Prefix + "format_version";
    private const string InputKey = Prefix + "input";
    private const string ChannelsKey = Prefix + "channels";
    private const string HeightKey = Prefix + "height";
    private const string WidthKey = Prefix + "width";
    private const string PreprocessingKey = Prefix + "preprocessing";
    private const string ClassLabelsKey = Prefix + "class_labels";
    private const string ScoreKey = Prefix + "output.score";
    private const string PredictedLabelKey = Prefix + "output.predicted_label";
    private const string WarpKey = Prefix + "output.warp";
    private const string RectifiedKey = Prefix + "output.rectified";
    private const string ImageInput = "image";
    private const string PixelVectorInput = "pixel-vector";

    /// <summary>One line on how the input pixels are made (also stored in the graph for people reading its metadata).</summary>
    public string PreprocessingSummary => InputIsImage
        ? FormattableString.Invariant(
            $"ML.NET ResizeImages(Fill: stretched to {Width}x{Height}, nearest neighbour, aspect ratio not kept), then ExtractPixels: R, G, B planes (channel-major; alpha dropped after SkiaSharp's decoder premultiplied the colour by it), value = byte / 255 in [0, 1]; float32 [N, {Channels * Height * Width}].")
        : FormattableString.Invariant(
            $"The user's float pixel vector, used as it is: {Channels}x{Height}x{Width} (channels x height x width, channel-major), expected in [0, 1]; float32 [N, {Channels * Height * Width}].");

    /// <summary>Adds the entries to <paramref name="onnxModel"/>, the graph's own SHA-256 last (<see cref="RecordedGraphHash"/>), and returns the new bytes.</summary>
    public byte[] AddTo(byte[] onnxModel)
    {
        var model = ModelProto.Parser.ParseFrom(onnxModel);
        void Add(string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        Add(ModelKey, ModelKind);
        Add(FormatKey, "1");
        Add(InputKey, InputIsImage ? ImageInput : PixelVectorInput);
        Add(ChannelsKey, Channels.ToString(CultureInfo.InvariantCulture));
        Add(HeightKey, Height.ToString(CultureInfo.InvariantCulture));
        Add(WidthKey, Width.ToString(CultureInfo.InvariantCulture));
        Add(PreprocessingKey, PreprocessingSummary);
        Add(ClassLabelsKey, JsonSerializer.Serialize(ClassLabels));
        Add(ScoreKey, ScoreOutput);
        Add(PredictedLabelKey, PredictedLabelOutput);
        if (WarpOutput is not null) Add(WarpKey, WarpOutput);
        if (RectifiedOutput is not null) Add(RectifiedKey, RectifiedOutput);
        return RecordedGraphHash.Record(model);
    }

    /// <summary>True when <paramref name="model"/> is a classifier graph written by <see cref="AddTo"/>.</summary>
    public static bool IsStnClassifier(ModelProto model) =>
        model.MetadataProps.Any(p => p.Key == ModelKey && p.Value == ModelKind);

    /// <summary>Reads the entries of <paramref name="model"/>; throws <see cref="InvalidDataException"/> naming a missing or bad one.</summary>
    public static StnGraphMetadata ReadFrom(ModelProto model)
    {
        var values = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        string Get(string key) => values.TryGetValue(key, out var v)
            ? v
            : throw new InvalidDataException(
                $"The ONNX graph has no metadata entry '{key}': it was not written by StnImageClassificationTrainer (or by a version before the entries existed). Retrain the model to export it.");
        int GetSize(string key) => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new InvalidDataException($"The ONNX graph's metadata entry '{key}' is '{Get(key)}'; expected a positive integer.");
        if (Get(ModelKey) != ModelKind)
            throw new InvalidDataException($"The ONNX graph's metadata entry '{ModelKey}' is '{Get(ModelKey)}'; expected '{ModelKind}'.");
        if (Get(FormatKey) != "1")
            throw new InvalidDataException($"The ONNX graph's metadata format version is '{Get(FormatKey)}'; this library reads version 1. Use the library version that trained the model.");
        bool isImage = Get(InputKey) switch
        {
            ImageInput => true,
            PixelVectorInput => false,
            var other => throw new InvalidDataException($"The ONNX graph's metadata entry '{InputKey}' is '{other}'; expected '{ImageInput}' or '{PixelVectorInput}'."),
        };
        List<string>? labels;
        try { labels = JsonSerializer.Deserialize<List<string>>(Get(ClassLabelsKey)); }
        catch (JsonException) { labels = null; }
        if (labels is null)
            throw new InvalidDataException($"The ONNX graph's metadata entry '{ClassLabelsKey}' is not a JSON array of strings.");
        return new StnGraphMetadata(isImage, GetSize(ChannelsKey), GetSize(HeightKey), GetSize(WidthKey), labels,
            Get(ScoreKey), Get(PredictedLabelKey), values.GetValueOrDefault(WarpKey), values.GetValueOrDefault(RectifiedKey));
    }
}
