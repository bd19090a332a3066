using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers;
using Ml.Transforms.Devices;

namespace ScoringService.Tests.Support;

/// <summary>
/// The models the tests serve, trained once per test run in a few seconds on the four-class set (16 × 16 input, a few
/// epochs: small and fast, good enough to tell the classes apart) and saved as model.zip files, as users save theirs:
/// <list type="bullet">
/// <item><see cref="Full"/>: the TrafficSigns sample's pipeline (MapValueToKey → trainer reading the ImagePath column
/// itself → MapKeyToValue) with the Warp and Rectified columns: the model takes image paths and loads them in its own
/// chain.</item>
/// <item><see cref="Plain"/>: the README's C# pipeline with the trainer's defaults (no Warp, no Rectified), the label
/// mapped after ML.NET's LoadImages (as the sample saved models before it gave the trainer the paths).</item>
/// <item><see cref="PixelVector"/>: a model trained on a float pixel vector column given as input.</item>
/// <item><see cref="NotStn"/>: an ML.NET model without an STN classifier.</item>
/// </list>
/// </summary>
internal static class TrainedModels
{
    public const int Size = 16;
    private static readonly Lazy<string> _folder = new(() => TempFolder.Create("models"));
    private static readonly Lazy<string> _full = new(() => TrainImageModel("full.zip", withOutputs: true, paths: true, epochs: 4));
    private static readonly Lazy<string> _plain = new(() => TrainImageModel("plain.zip", withOutputs: false, paths: false, epochs: 1));
    private static readonly Lazy<string> _vector = new(TrainPixelVectorModel);
    private static readonly Lazy<string> _notStn = new(SaveNotStn);

    public static string Full => _full.Value;

    public static string Plain => _plain.Value;

    public static string PixelVector => _vector.Value;

    public static string NotStn => _notStn.Value;

    /// <summary>The offline answer, as the TrafficSigns sample's score command gets it: a fresh context loads the zip and transforms image paths.</summary>
    public static IReadOnlyList<(string Label, float[] Score)> ScoreOffline(string modelPath, IEnumerable<string> imagePaths)
    {
        var ml = new MLContext().RegisterStnComponents();
        var model = ml.Model.Load(modelPath, out _);
        var rows = ml.Data.LoadFromEnumerable(imagePaths.Select(p => new Row { ImagePath = p, Label = "" }));
        var scored = model.Transform(rows);
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref names);
        var classes = names.DenseValues().Select(n => n.ToString()).ToList();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
        var scores = scored.GetColumn<float[]>("Score").ToList();
        return keys.Select((k, i) => (classes[(int)k - 1], scores[i])).ToList();
    }

    private static string TrainImageModel(string name, bool withOutputs, bool paths, int epochs)
    {
        var ml = new MLContext(seed: 0).RegisterStnComponents();
        var rows = ml.Data.LoadFromEnumerable(GtsrbPng.Train.Select(i => new Row { ImagePath = i.Path, Label = i.Label }));
        var options = new StnImageClassificationOptions
        {
            Transformer = { ImageWidth = Size, ImageHeight = Size, Downsampling = 2 },
            Training = { Epochs = epochs, BatchSize = 32, Device = ComputeDevice.Cpu, Seed = 0, EarlyStoppingPatience = 0 },
            ImageColumnName = paths ? "ImagePath" : "Image",
            WarpColumnName = withOutputs ? "Warp" : null,
            RectifiedColumnName = withOutputs ? "Rectified" : null,
        };
        IEstimator<ITransformer> load = paths
            ? ml.Transforms.Conversion.MapValueToKey("Label")
            : ml.Transforms.LoadImages("Image", null, "ImagePath").Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        var model = load
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"))
            .Fit(rows);
        return Save(ml, model, rows.Schema, name);
    }

    private static string TrainPixelVectorModel()
    {
        var ml = new MLContext(seed: 0).RegisterStnComponents();
        // The pixel vectors a user would compute: ML.NET's resize (Fill) and pixel extraction, R, G, B planes, /255.
        var images = ml.Data.LoadFromEnumerable(GtsrbPng.Train.Select(i => new Row { ImagePath = i.Path, Label = i.Label }));
        var pixels = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Resized", Size, Size, "Image", Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Resized", interleavePixelColors: false, scaleImage: 1f / 255))
            .Fit(images).Transform(images);
        var vectors = ml.Data.LoadFromEnumerable(
            ml.Data.CreateEnumerable<PixelRow>(pixels, reuseRowObject: false).ToList(),
            VectorDefinition());
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
            {
                ImageColumnName = "Pixels",
                Transformer = { ImageWidth = Size, ImageHeight = Size, Downsampling = 2 },
                Training = { Epochs = 1, BatchSize = 32, Device = ComputeDevice.Cpu, Seed = 0 },
            }))
            .Fit(vectors);
        return Save(ml, model, vectors.Schema, "pixel-vector.zip");
    }

    /// <summary>The pixel-vector model's offline answer: the vectors made by ML.NET (Fill resize, R, G, B planes, /255), then the model.</summary>
    public static IReadOnlyList<(string Label, float Score)> ScorePixelVectorOffline(IEnumerable<string> imagePaths)
    {
        var ml = new MLContext().RegisterStnComponents();
        var model = ml.Model.Load(PixelVector, out _);
        var images = ml.Data.LoadFromEnumerable(imagePaths.Select(p => new Row { ImagePath = p, Label = "" }));
        var pixels = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Resized", Size, Size, "Image", Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Resized", interleavePixelColors: false, scaleImage: 1f / 255))
            .Fit(images).Transform(images);
        var vectors = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<PixelRow>(pixels, reuseRowObject: false).ToList(), VectorDefinition());
        var scored = model.Transform(vectors);
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref names);
        var classes = names.DenseValues().Select(n => n.ToString()).ToList();
        return scored.GetColumn<uint>("PredictedLabel").Zip(scored.GetColumn<float[]>("Score"), (k, s) => (classes[(int)k - 1], s.Max())).ToList();
    }

    private static string SaveNotStn()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(GtsrbPng.Train.Take(10).Select(i => new Row { ImagePath = i.Path, Label = i.Label }));
        var model = ml.Transforms.Conversion.MapValueToKey("Label").Fit(rows);
        return Save(ml, model, rows.Schema, "not-stn.zip");
    }

    private static string Save(MLContext ml, ITransformer model, DataViewSchema schema, string name)
    {
        string path = Path.Combine(_folder.Value, name);
        ml.Model.Save(model, schema, path);
        return path;
    }

    /// <summary>The vector column with its size (3 × 16 × 16), as the trainer requires.</summary>
    public static SchemaDefinition VectorDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * Size * Size);
        return definition;
    }

    public sealed class Row
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    public sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = "";
    }
}
