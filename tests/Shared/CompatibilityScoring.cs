using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlLinearized.TestSupport;

/// <summary>
/// The saved-model compatibility data (tests/Ml.Trainers.Tests/Compatibility/): three models saved by an earlier version
/// of the packages, the images they score (<c>inputs/</c>) and what they output (<c>expected-outputs.json</c>). The
/// writer (tests/CompatibilityModels) and the test (Ml.Trainers.Tests, SavedModelCompatibilityTests) score the models
/// with this one piece of code, so they compare like with like. Linked into both projects.
/// </summary>
internal static class CompatibilityScoring
{
    /// <summary>LoadImages → MapValueToKey → StnImageClassification (IC-STN, Warp and Rectified columns) → MapKeyToValue.</summary>
    public const string ClassifierZip = "stn-image-classification.zip";

    /// <summary>LoadImages → WarpImages (one homography for every row, image in, image out, Warp column).</summary>
    public const string WarpZip = "warp-images.zip";

    /// <summary>
    /// LoadImages → ResizeImages (ML.NET's default IsoCrop) → ExtractPixels ("Pixels") → AlignImages (STN to the mean,
    /// pixel vector in and out, warp column). "Pixels", AlignImages' input, is recorded too, so the AlignImages stage can
    /// be scored on the very pixels it saw then (<see cref="ScoreAlignStage"/>).
    /// </summary>
    public const string AlignZip = "align-images.zip";

    /// <summary>The models' outputs on <see cref="InputFolder"/>'s images, and the versions that wrote them.</summary>
    public const string ExpectedFile = "expected-outputs.json";

    /// <summary>The images the models score, beside the models.</summary>
    public const string InputFolder = "inputs";

    /// <summary>The images of <see cref="InputFolder"/>, in scoring order (sizes differ from the models', so every one is resized).</summary>
    public static readonly string[] Inputs = ["00.png", "01.png", "02.png", "03.png", "04.png", "05.png"];

    /// <summary>The label text of each input (the classifier's pipeline maps it to a key, as it did in training).</summary>
    public static readonly string[] InputLabels = ["red", "green", "blue", "red", "green", "blue"];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new OneLineFloats() },
    };

    /// <summary>Scores the three models in <paramref name="folder"/> on its inputs, with a fresh MLContext (as a serving process would).</summary>
    public static Dictionary<string, List<ScoredRow>> ScoreAll(string folder)
    {
        var mlContext = new MLContext(seed: 0).RegisterStnComponents();
        var rows = Rows(mlContext, folder);
        return new Dictionary<string, List<ScoredRow>>
        {
            [ClassifierZip] = Score(mlContext, Path.Combine(folder, ClassifierZip), rows,
                vectors: ["Score", "Warp", "Rectified"], images: [], text: "PredictedClass", key: "PredictedLabel"),
            [WarpZip] = Score(mlContext, Path.Combine(folder, WarpZip), rows, vectors: ["Warp"], images: ["Warped"], text: null, key: null),
            [AlignZip] = Score(mlContext, Path.Combine(folder, AlignZip), rows, vectors: ["Pixels", "Aligned", "AlignWarp"], images: [], text: null, key: null),
        };
    }

    /// <summary>Size of the align model's pixel vectors: 3 × 16 × 16.</summary>
    public const int AlignPixels = 3 * 16 * 16;

    /// <summary>
    /// The align model's last stage alone (the AlignImages transformer, without ML.NET's loading and resizing before
    /// it) on the given "Pixels" vectors: its "Aligned" and "AlignWarp" outputs, in order.
    /// </summary>
    public static List<ScoredRow> ScoreAlignStage(string folder, IReadOnlyList<float[]> pixels)
    {
        var mlContext = new MLContext(seed: 0);
        var model = (TransformerChain<ITransformer>)mlContext.Model.Load(Path.Combine(folder, AlignZip), out _);
        var rows = mlContext.Data.LoadFromEnumerable(pixels.Select(p => new PixelRow { Pixels = p }));
        var scored = model.Last().Transform(rows);
        var aligned = scored.GetColumn<float[]>("Aligned").ToList();
        var warps = scored.GetColumn<float[]>("AlignWarp").ToList();
        return aligned.Select((a, i) => new ScoredRow { Image = Inputs[i], Values = { ["Aligned"] = a, ["AlignWarp"] = warps[i] } }).ToList();
    }

    /// <summary>The input rows: absolute image paths (the models' LoadImages has no folder) and the labels.</summary>
    public static IDataView Rows(MLContext mlContext, string folder) =>
        mlContext.Data.LoadFromEnumerable(Inputs.Select((name, i) => new InputRow
        {
            ImagePath = Path.GetFullPath(Path.Combine(folder, InputFolder, name)),
            Label = InputLabels[i],
        }));

    private static List<ScoredRow> Score(MLContext mlContext, string zip, IDataView rows, string[] vectors, string[] images, string? text, string? key)
    {
        var model = mlContext.Model.Load(zip, out _);
        var scored = model.Transform(rows);
        var result = Inputs.Select(name => new ScoredRow { Image = name }).ToList();
        foreach (var column in vectors)
        {
            int i = 0;
            foreach (var values in scored.GetColumn<float[]>(column))
                result[i++].Values[column] = values;
        }
        foreach (var column in images)
        {
            int i = 0;
            foreach (var image in scored.GetColumn<MLImage>(column))
            {
                // The pixel bytes as ML.NET hands them on (4 bytes a pixel, in the image's own pixel format).
                result[i++].Values[column] = image.Pixels.ToArray().Select(b => (float)b).ToArray();
                image.Dispose();
            }
        }
        if (text is not null)
        {
            int i = 0;
            foreach (var value in scored.GetColumn<string>(text))
                result[i++].Text = value;
        }
        if (key is not null)
        {
            int i = 0;
            foreach (var value in scored.GetColumn<uint>(key))
                result[i++].Key = value;
        }
        return result;
    }

    /// <summary>Writes the outputs and the versions that made them.</summary>
    public static void Write(string path, ExpectedOutputs outputs) => File.WriteAllText(path, JsonSerializer.Serialize(outputs, Json) + "\n");

    /// <summary>Reads <see cref="ExpectedFile"/>.</summary>
    public static ExpectedOutputs Read(string path) =>
        JsonSerializer.Deserialize<ExpectedOutputs>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");

    /// <summary>The informational version of the assembly that holds <paramref name="type"/> (e.g. "5.0.1+abc...").</summary>
    public static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
        ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>A float for a message: round-trip precision, invariant culture.</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes a float array on one line (round-trip precision), so the file stays small and readable.</summary>
    private sealed class OneLineFloats : JsonConverter<float[]>
    {
        public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException("Expected an array of numbers.");
            var values = new List<float>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                values.Add(reader.GetSingle());
            return values.ToArray();
        }

        public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options) =>
            writer.WriteRawValue("[" + string.Join(",", value.Select(Format)) + "]");
    }

    internal sealed class PixelRow
    {
        [VectorType(AlignPixels)]
        public float[] Pixels { get; set; } = [];
    }

    internal sealed class InputRow
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }
}

/// <summary>What <see cref="CompatibilityScoring.ExpectedFile"/> holds.</summary>
internal sealed class ExpectedOutputs
{
    /// <summary>How the data was made (the command).</summary>
    public string MadeBy { get; set; } = "";

    /// <summary>Versions of the packages that saved the models and scored them: MlLinearized, Microsoft.ML, ImageAnalytics, OnnxTransformer, ONNX Runtime.</summary>
    public Dictionary<string, string> Versions { get; set; } = [];

    /// <summary>Per model zip, per input image: its outputs.</summary>
    public Dictionary<string, List<ScoredRow>> Models { get; set; } = [];
}

/// <summary>One input image's outputs from one model.</summary>
internal sealed class ScoredRow
{
    public string Image { get; set; } = "";

    /// <summary>The classifier's predicted class (text); null for the transforms.</summary>
    public string? Text { get; set; }

    /// <summary>The classifier's PredictedLabel key; null for the transforms.</summary>
    public uint? Key { get; set; }

    /// <summary>Float outputs by column (an image output as its pixel bytes).</summary>
    public Dictionary<string, float[]> Values { get; set; } = [];
}
