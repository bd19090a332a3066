using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests.Export;

/// <summary>
/// A tiny image classifier trained in a second or two: 12 PNG images (3 classes of coloured, noisy patterns, each
/// image 20×18 or 18×20 pixels) generated in a temp folder, a 16×16 IC-STN with Warp and Rectified columns, 1 epoch.
/// The saved zip holds LoadImages → MapValueToKey → the trainer's chain → MapKeyToValue("PredictedClass").
/// </summary>
internal sealed class TinyImageModel : IDisposable
{
    public const int Size = 16;

    public static readonly string[] Classes = ["red", "green", "blue"];

    private readonly TempDirectory temp = new();

    public TinyImageModel(int seed = 0)
    {
        var random = new Random(seed);
        var lines = new List<string> { "ImagePath\tLabel" };
        for (int i = 0; i < 12; i++)
        {
            int c = i % 3, w = i % 2 == 0 ? 20 : 18, h = 38 - w;
            var rgba = new byte[w * h * 4];
            for (int p = 0; p < w * h; p++)
            {
                for (int k = 0; k < 3; k++)
                    rgba[4 * p + k] = (byte)random.Next(k == c ? 120 : 0, k == c ? 256 : 100);
                rgba[4 * p + 3] = 255;
            }
            using var image = MLImage.CreateFromPixels(w, h, MLPixelFormat.Rgba32, rgba);
            image.Save(System.IO.Path.Combine(temp.Path, $"{i:D2}.png"));
            lines.Add($"{i:D2}.png\t{Classes[c]}");
        }
        Tsv = temp.Write("rows.tsv", string.Join('\n', lines));

        Ml = new MLContext(seed).RegisterStnComponents();
        Rows = Ml.Data.LoadFromTextFile<StnImageClassificationTrainerTests.ImageRow>(Tsv, separatorChar: '\t', hasHeader: true);
        Trainer = Ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
        {
            WarpColumnName = "Warp",
            RectifiedColumnName = "Rectified",
            Transformer = { ImageWidth = Size, ImageHeight = Size, Downsampling = 1 },
            Training = { Epochs = 1, BatchSize = 4, Device = ComputeDevice.Cpu, Seed = seed },
        });
        var pipeline = Ml.Transforms.LoadImages("Image", temp.Path, "ImagePath")
            .Append(Ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(Trainer)
            .Append(Ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        Model = pipeline.Fit(Rows);
        ZipPath = System.IO.Path.Combine(temp.Path, "model.zip");
        Ml.Model.Save(Model, Rows.Schema, ZipPath);
    }

    /// <summary>The folder of the images (LoadImages' folder).</summary>
    public string Folder => temp.Path;

    /// <summary>rows.tsv: ImagePath (relative to <see cref="Folder"/>) and Label.</summary>
    public string Tsv { get; }

    public MLContext Ml { get; }

    public IDataView Rows { get; }

    public StnImageClassificationTrainer Trainer { get; }

    public ITransformer Model { get; }

    /// <summary>The saved model.</summary>
    public string ZipPath { get; }

    /// <summary>Writes a file into the temp folder and returns its path.</summary>
    public string Write(string name, byte[] content) => temp.Write(name, content);

    public void Dispose() => temp.Dispose();
}
