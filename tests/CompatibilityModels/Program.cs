using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Transforms.Devices;
using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using MlLinearized.TestSupport;

// Writes the saved-model compatibility data that tests/Ml.Trainers.Tests/Compatibility/ holds:
//   dotnet run --project tests/CompatibilityModels -c Release -- <folder>
// <folder>/inputs/*.png      six small images (seeded noise patterns, sizes unlike the models', so each is resized)
// <folder>/*.zip             three models saved with mlContext.Model.Save, each trained or built from seeded data:
//                            an StnImageClassification pipeline (IC-STN, 16×16 input, Warp and Rectified columns), a
//                            WarpImages transform (image in, image out) and an AlignImages transform (pixel vectors)
// <folder>/expected-outputs.json  what each model outputs for each input, scored in this process after a reload
//                            (tests/Shared/CompatibilityScoring.cs), and the package versions that did it.
// The checked-in data was written once, by MlLinearized 0.1.0 on Microsoft.ML 5.0.1 (see expected-outputs.json's
// "Versions"), and is never rewritten: it stands for the models users saved with that version. Running this again
// writes data of the current version (to compare by hand); the test keeps reading the checked-in files.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CompatibilityModels <output folder>");
    return 2;
}
var folder = Path.GetFullPath(args[0]);
Directory.CreateDirectory(Path.Combine(folder, CompatibilityScoring.InputFolder));
string[] classes = ["red", "green", "blue"];
(int Width, int Height)[] inputSizes = [(20, 18), (18, 20), (24, 24), (17, 23), (32, 28), (16, 20)];
for (int i = 0; i < CompatibilityScoring.Inputs.Length; i++)
    WritePattern(Path.Combine(folder, CompatibilityScoring.InputFolder, CompatibilityScoring.Inputs[i]), inputSizes[i].Width, inputSizes[i].Height,
        Array.IndexOf(classes, CompatibilityScoring.InputLabels[i]), seed: 100 + i);

// Training images: 12 more of the same kind, in a temporary folder (not checked in).
var training = Directory.CreateTempSubdirectory("compatibility-training-");
try
{
    var rows = new List<TrainingRow>();
    for (int i = 0; i < 12; i++)
    {
        var path = Path.Combine(training.FullName, $"{i:D2}.png");
        WritePattern(path, i % 2 == 0 ? 20 : 18, i % 2 == 0 ? 18 : 20, i % 3, seed: i);
        rows.Add(new TrainingRow { ImagePath = path, Label = classes[i % 3] });
    }
    var mlContext = new MLContext(seed: 0).RegisterStnComponents();
    var data = mlContext.Data.LoadFromEnumerable(rows);

    var classifier = mlContext.Transforms.LoadImages("Image", imageFolder: null, "ImagePath")
        .Append(mlContext.Transforms.Conversion.MapValueToKey("Label"))
        .Append(mlContext.MulticlassClassification.Trainers.StnImageClassification(new Ml.Trainers.StnImageClassificationOptions
        {
            WarpColumnName = "Warp",
            RectifiedColumnName = "Rectified",
            Transformer = { ImageWidth = 16, ImageHeight = 16, Downsampling = 2 },
            Training = { Epochs = 1, BatchSize = 4, Device = ComputeDevice.Cpu, Seed = 0 },
        }))
        .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"))
        .Fit(data);
    mlContext.Model.Save(classifier, data.Schema, Path.Combine(folder, CompatibilityScoring.ClassifierZip));

    var warp = mlContext.Transforms.LoadImages("Image", imageFolder: null, "ImagePath")
        .Append(mlContext.Transforms.WarpImages("Warped", "Image", new ImageWarpOptions
        {
            Transformer = { Warp = WarpFamily.Homography, Sampler = SamplingMode.Bilinear, ImageWidth = 16, ImageHeight = 16, OutputWidth = 12, OutputHeight = 12 },
            Parameters = [0.1f, -0.05f, 0.08f, 0.04f, 0.12f, -0.06f, 0.03f, -0.02f],
            WarpColumnName = "Warp",
        }))
        .Fit(data);
    mlContext.Model.Save(warp, data.Schema, Path.Combine(folder, CompatibilityScoring.WarpZip));

    var align = mlContext.Transforms.LoadImages("Image", imageFolder: null, "ImagePath")
        .Append(mlContext.Transforms.ResizeImages("Small", 16, 16, "Image"))
        .Append(mlContext.Transforms.ExtractPixels("Pixels", "Small", interleavePixelColors: false, scaleImage: 1f / 255))
        .Append(mlContext.Transforms.AlignImages("Aligned", "Pixels", new LearnedAlignmentOptions
        {
            Target = AlignmentTarget.Mean,
            Architecture = SpatialArchitecture.Stn,
            Transformer = { Warp = WarpFamily.Affine, ImageWidth = 16, ImageHeight = 16 },
            Training = { Epochs = 1, BatchSize = 4, Device = ComputeDevice.Cpu },
            WarpColumnName = "AlignWarp",
        }))
        .Fit(data);
    mlContext.Model.Save(align, data.Schema, Path.Combine(folder, CompatibilityScoring.AlignZip));
}
finally
{
    training.Delete(recursive: true);
}

CompatibilityScoring.Write(Path.Combine(folder, CompatibilityScoring.ExpectedFile), new ExpectedOutputs
{
    MadeBy = "dotnet run --project tests/CompatibilityModels -c Release -- <folder> (tests/CompatibilityModels/Program.cs)",
    Versions = new Dictionary<string, string>
    {
        ["MlLinearized"] = CompatibilityScoring.VersionOf(typeof(ImageWarpOptions)),
        ["Microsoft.ML"] = CompatibilityScoring.VersionOf(typeof(MLContext)),
        ["Microsoft.ML.ImageAnalytics"] = CompatibilityScoring.VersionOf(typeof(MLImage)),
        ["Microsoft.ML.OnnxTransformer"] = CompatibilityScoring.VersionOf(typeof(Microsoft.ML.Transforms.Onnx.OnnxTransformer)),
        ["Microsoft.ML.OnnxRuntime"] = CompatibilityScoring.VersionOf(typeof(Microsoft.ML.OnnxRuntime.InferenceSession)),
    },
    Models = CompatibilityScoring.ScoreAll(folder),
});
Console.WriteLine($"Wrote the compatibility data to {folder}.");
return 0;

// Seeded coloured noise: the class's channel high, the others low, with a brighter square whose place depends on the seed.
static void WritePattern(string path, int width, int height, int classIndex, int seed)
{
    var random = new Random(seed);
    int squareX = random.Next(0, width / 2), squareY = random.Next(0, height / 2);
    var rgba = new byte[width * height * 4];
    for (int y = 0; y < height; y++)
    {
        for (int x = 0; x < width; x++)
        {
            int p = 4 * (y * width + x);
            bool square = x >= squareX && x < squareX + width / 3 && y >= squareY && y < squareY + height / 3;
            for (int k = 0; k < 3; k++)
                rgba[p + k] = (byte)(square ? random.Next(200, 256) : random.Next(k == classIndex ? 120 : 0, k == classIndex ? 256 : 100));
            rgba[p + 3] = 255;
        }
    }
    using var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba);
    image.Save(path);
}

internal sealed class TrainingRow
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}
