using System.Globalization;
using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Ml.Trainers.Tests;

/// <summary>
/// WarpImages and AlignImages in users' pipelines, and its save/load in a fresh process. (Here rather than in Ml.Transforms.Tests
/// because the fresh-process host and the STN trainer live on this side.)
/// </summary>
[TestClass]
public sealed class ImageTransformPipelineTests
{
    private static readonly ImageWarpOptions Straighten = new()
    {
        Transformer = { Warp = WarpFamily.Similarity, ImageWidth = 32, ImageHeight = 32 },
        Parameters = [-0.1f, 0.05f, 0.02f, -0.03f], // zoom in 10 %, rotate ≈ 3°, shift
    };

    private static IDataView Rows(MLContext ml, string tsv) =>
        ml.Data.LoadFromTextFile<StnImageClassificationTrainerTests.ImageRow>(tsv, separatorChar: '\t', hasHeader: true);

    [TestMethod]
    public void LoadImagesWarpImagesExtractPixelsAndAnMlNetTrainerFitAndEvaluate()
    {
        var ml = new MLContext(0);
        var pipeline = ml.Transforms.LoadImages("Image", GtsrbPngSet.Folder, "ImagePath")
            .Append(ml.Transforms.WarpImages("Straightened", "Image", Straighten))
            .Append(ml.Transforms.ExtractPixels("Features", "Straightened", scaleImage: 1f / 255))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        var model = pipeline.Fit(Rows(ml, GtsrbPngSet.TrainTsv));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(Rows(ml, GtsrbPngSet.ValidationTsv)));
        Assert.IsGreaterThan(1.0 / GtsrbPngSet.Classes, metrics.MicroAccuracy, "better than chance");
    }

    [TestMethod]
    public void WarpImagesFeedsTheStnTrainer()
    {
        var ml = new MLContext(0);
        var pipeline = ml.Transforms.LoadImages("Image", GtsrbPngSet.Folder, "ImagePath")
            .Append(ml.Transforms.WarpImages("Straightened", "Image", Straighten))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
            {
                ImageColumnName = "Straightened",
                Transformer = { Downsampling = 4 },
                Training = { Epochs = 1, BatchSize = 50, Device = ComputeDevice.Cpu },
            }));
        var scored = pipeline.Fit(Rows(ml, GtsrbPngSet.TrainTsv)).Transform(Rows(ml, GtsrbPngSet.ValidationTsv));
        Assert.AreEqual(GtsrbPngSet.Classes, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
    }

    [TestMethod]
    public void ALearnedAlignmentSavedHereGivesTheSameBitsInAFreshProcess()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(0);
        var random = new Random(0);
        const int size = 3 * 16 * 16;
        // A smooth pattern as the reference, and 24 views of it shifted by up to 1.5 px (something to align).
        static double Channel(int c, double x, double y) => c switch
        {
            0 => x / 16,
            1 => y / 16,
            _ => 0.5 + 0.4 * Math.Sin(x / 3) * Math.Cos(y / 4),
        };
        var rows = Enumerable.Range(0, 24).Select(_ =>
        {
            double dx = 3 * random.NextDouble() - 1.5, dy = 3 * random.NextDouble() - 1.5;
            return new PixelRow { Pixels = Enumerable.Range(0, size).Select(i => (float)Math.Clamp(Channel(i / 256, i % 16 + dx, i / 16 % 16 + dy), 0, 1)).ToArray() };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var reference = Path.Combine(temp.Path, "reference.png");
        var rgba = new byte[16 * 16 * 4];
        for (int i = 0; i < 256; i++)
        {
            for (int c = 0; c < 3; c++)
                rgba[4 * i + c] = (byte)Math.Round(255 * Math.Clamp(Channel(c, i % 16, i / 16), 0, 1));
            rgba[4 * i + 3] = 255;
        }
        using (var image = MLImage.CreateFromPixels(16, 16, MLPixelFormat.Rgba32, rgba))
            image.Save(reference);
        var estimator = ml.Transforms.AlignImages("Aligned", "Pixels", new LearnedAlignmentOptions
        {
            Target = AlignmentTarget.Reference, ReferenceImagePath = reference,
            Transformer = { ImageWidth = 16, ImageHeight = 16, OutputWidth = 8, OutputHeight = 8 },
            Training = { Epochs = 2, Device = ComputeDevice.Cpu },
        });
        var model = estimator.Fit(data);
        var zip = Path.Combine(temp.Path, "align.zip");
        ml.Model.Save(model, data.Schema, zip);
        var tsv = temp.Write("rows.tsv", string.Join('\n', rows.Select(r => string.Join('\t', r.Pixels.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))));
        var here = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("Aligned")
            .Select(v => string.Join('\t', v.Select(x => BitConverter.SingleToInt32Bits(x).ToString("x8", CultureInfo.InvariantCulture)))).ToList();

        var output = Path.Combine(temp.Path, "out.tsv");
        var (exitCode, log) = ScoringHostProcess.Run(temp.Path, "vector", zip, tsv, "Pixels", size.ToString(CultureInfo.InvariantCulture), "Aligned", output);
        Assert.AreEqual(0, exitCode, log);
        CollectionAssert.AreEqual(here, File.ReadAllLines(output));

        // And ONNX Runtime agrees with the TorchSharp network it was exported from (eval mode).
        using var images = TorchSharp.torch.tensor(rows.SelectMany(r => r.Pixels).ToArray(), [rows.Count, 3, 16, 16]);
        using var torchOutput = estimator.TrainedNetwork!.forward(images).flatten(1);
        var onnxOutput = model.Transform(data).GetColumn<float[]>("Aligned").SelectMany(v => v).ToArray();
        var torchValues = torchOutput.data<float>().ToArray();
        double maxDiff = torchValues.Zip(onnxOutput, (a, b) => Math.Abs(a - b)).Max();
        Assert.IsLessThan(1e-5, maxDiff, $"TorchSharp vs ONNX Runtime: {maxDiff:G3}");
    }

    private sealed class PixelRow
    {
        [VectorType(3 * 16 * 16)] public float[] Pixels { get; set; } = [];
    }
}
