using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests;

[TestClass]
public sealed class BadInputTests
{
    private sealed class PixelRow
    {
        [VectorType(3 * 32 * 32)] public float[] Image { get; set; } = new float[3 * 32 * 32];
        public string Label { get; set; } = "";
    }

    private sealed class WrongLabelRow
    {
        [VectorType(3 * 32 * 32)] public float[] Image { get; set; } = new float[3 * 32 * 32];
        public float Label { get; set; }
    }

    private sealed class SmallPixelRow
    {
        [VectorType(3 * 16 * 16)] public float[] Image { get; set; } = new float[3 * 16 * 16];
        public string Label { get; set; } = "";
    }

    private static StnImageClassificationOptions Options => new() { Training = { Epochs = 1, BatchSize = 10, Device = ComputeDevice.Cpu } };

    private static IDataView Pixels(MLContext ml, IEnumerable<PixelRow> rows) =>
        ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));

    private static PixelRow[] RandomRows(int n)
    {
        var random = new Random(0);
        return Enumerable.Range(0, n).Select(i => new PixelRow
        {
            Image = Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToArray();
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    [TestMethod]
    public void AnImageThatCannotBeDecodedIsNamedWithItsRow()
    {
        // Before: ML.NET's "Invalid input stream contents (Parameter 'imageStream')" from inside the trainer, naming no file.
        using var folder = new TempDirectory();
        var good = Path.Combine(Data.FormatFixtures.Folder, "photo.jpg");
        var broken = folder.Write("broken.png", "this is not a picture");
        var rows = new[] { good, good, broken, good }.Select((p, i) => new PathRow { ImagePath = p, Label = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(Options));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => pipeline.Fit(data));
        StringAssert.Contains(e.Message, "An image of the training data could not be loaded (Invalid input stream contents");
        StringAssert.Contains(e.Message, $": row 2, Image file '{broken}' could not be decoded: its 21 bytes are not a PNG, JPEG, BMP, GIF or WebP image");
        StringAssert.Contains(e.Message, "LoadFromImageFolder");
    }

    [TestMethod]
    public void FloatPixelVectorsTrainAndScore()
    {
        var ml = new MLContext(0);
        var data = Pixels(ml, RandomRows(40));
        var scored = ml.MulticlassClassification.Trainers.StnImageClassification(Options).Fit(data).Transform(data);
        Assert.AreEqual(2, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
    }

    [TestMethod]
    public void AnEmptyDataViewSaysThereIsNothingToTrainOn()
    {
        var ml = new MLContext(0);
        var rows = RandomRows(4);
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows));
        var empty = keys.Transform(ml.Data.LoadFromEnumerable(Array.Empty<PixelRow>()));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(Options).Fit(empty));
        StringAssert.Contains(e.Message, "no rows");
    }

    [TestMethod]
    public void ALabelThatIsNotAKeySaysToUseMapValueToKey()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[] { new WrongLabelRow(), new WrongLabelRow() });
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(Options).Fit(data));
        StringAssert.Contains(e.Message, "'Label'");
        StringAssert.Contains(e.Message, "MapValueToKey");
    }

    [TestMethod]
    public void AMissingImageColumnIsNamed()
    {
        var ml = new MLContext(0);
        var options = Options;
        options.ImageColumnName = "Picture";
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(options).Fit(Pixels(ml, RandomRows(4))));
        StringAssert.Contains(e.Message, "'Picture'");
    }

    [TestMethod]
    public void NaNPixelsNameTheRow()
    {
        var ml = new MLContext(0);
        var rows = RandomRows(6);
        rows[3].Image[17] = float.NaN;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(Options).Fit(Pixels(ml, rows)));
        StringAssert.Contains(e.Message, "Row 3");
        StringAssert.Contains(e.Message, "NaN");
    }

    [TestMethod]
    public void InvalidSettingsAreRejectedWhenTheTrainerIsMade()
    {
        var ml = new MLContext(0);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions { Transformer = { Downsampling = 3 } }));
        StringAssert.Contains(e.Message, "1, 2, 4 or 8");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions { Training = { BatchSize = 0 } }));
    }

    [TestMethod]
    public void GrayscaleRgbaAndOddlySizedImagesAreResizedAndReadAsRgb()
    {
        using var temp = new TempDirectory();
        var random = new Random(1);
        var lines = new List<string> { "ImagePath\tLabel" };
        for (int i = 0; i < 12; i++)
        {
            int w = 20 + i * 3, h = 50 - i * 2;
            var format = i % 3 == 0 ? MLPixelFormat.Rgba32 : MLPixelFormat.Bgra32;
            var pixels = new byte[w * h * 4];
            random.NextBytes(pixels);
            if (i % 2 == 0) // grayscale content, semi-transparent
                for (int p = 0; p < pixels.Length; p += 4) { pixels[p + 1] = pixels[p + 2] = pixels[p]; pixels[p + 3] = 128; }
            using var image = MLImage.CreateFromPixels(w, h, format, pixels);
            image.Save(Path.Combine(temp.Path, $"{i}.png"));
            lines.Add($"{i}.png\t{i % 3}");
        }
        var tsv = temp.Write("rows.tsv", string.Join('\n', lines));
        var ml = new MLContext(0);
        var rows = ml.Data.LoadFromTextFile<StnImageClassificationTrainerTests.ImageRow>(tsv, separatorChar: '\t', hasHeader: true);
        var pipeline = ml.Transforms.LoadImages("Image", temp.Path, "ImagePath")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(Options));
        var scores = pipeline.Fit(rows).Transform(rows).GetColumn<float[]>("Score").ToList();
        Assert.HasCount(12, scores);
        Assert.IsTrue(scores.All(s => s.Length == 3 && s.All(float.IsFinite)));
    }

    [TestMethod]
    public void ValidationSetErrorsSayValidationSet()
    {
        var ml = new MLContext(0);
        var train = Pixels(ml, RandomRows(4));
        InvalidOperationException? failure = null;
        string Fails(IDataView validation)
        {
            var options = Options;
            options.ValidationSet = validation;
            try
            {
                ml.MulticlassClassification.Trainers.StnImageClassification(options).Fit(train);
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
            catch (InvalidOperationException e)
            {
                failure = e;
                return e.Message;
            }
            throw new AssertFailedException("Fit accepted a bad validation set.");
        }

        var notKey = Fails(ml.Data.LoadFromEnumerable(new[] { new WrongLabelRow(), new WrongLabelRow() }));
        StringAssert.Contains(notKey, "Label column 'Label' of the validation set");
        StringAssert.Contains(notKey, "same fitted mapping");

        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(RandomRows(4)));
        var small = ml.Data.LoadFromEnumerable(new[] { new SmallPixelRow { Label = "0" }, new SmallPixelRow { Label = "1" } });
        var wrongSize = Fails(keys.Transform(small));
        StringAssert.Contains(wrongSize, "Image column 'Image' of the validation set is a float vector of 768");

        var empty = Fails(keys.Transform(ml.Data.LoadFromEnumerable(Array.Empty<PixelRow>())));
        Assert.IsNotNull(failure);
        StringAssert.Contains(empty, "The validation set has no rows with a label");
        StringAssert.Contains(empty, "nothing to validate on");
    }

    [TestMethod]
    public void OneColumnNameForTwoOutputsIsRefusedNamingBothOptions()
    {
        var ml = new MLContext(0);
        var options = Options;
        options.WarpColumnName = "Score";
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(options));
        StringAssert.Contains(e.Message, "ScoreColumnName and WarpColumnName are both 'Score'");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.StnImageClassification(predictedLabelColumnName: "Score"));
        StringAssert.Contains(e.Message, "ScoreColumnName and PredictedLabelColumnName are both 'Score'");
    }

    [TestMethod]
    public void MessagesNameTheOptionsTheUserSet()
    {
        // Before: CornerStrength (of the internal PerturbationOptions), 'family', SamplerOptions.SampleCount.
        string Refused(StnImageClassificationOptions options) =>
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext(0).MulticlassClassification.Trainers.StnImageClassification(options)).ParamName!;
        Assert.AreEqual("PerturbationStrength", Refused(new StnImageClassificationOptions { Training = { PerturbationStrength = -1 } }));
        Assert.AreEqual("Warp", Refused(new StnImageClassificationOptions { Transformer = { Warp = (Ml.Transforms.Geometry.WarpFamily)99 } }));
        Assert.AreEqual("SampleCount", Refused(new StnImageClassificationOptions { Transformer = { SamplerOptions = { SampleCount = 1 } } }));
        Assert.AreEqual("NoiseStrength", Refused(new StnImageClassificationOptions { Transformer = { SamplerOptions = { NoiseStrength = double.NaN } } }));
        Assert.AreEqual("ImageWidth", Refused(new StnImageClassificationOptions { Transformer = { ImageWidth = 0 } }));
        Assert.AreEqual("ImageHeight", Refused(new StnImageClassificationOptions { Transformer = { ImageHeight = -8 } }));
        Assert.AreEqual("ClassifierDropout", Refused(new StnImageClassificationOptions { ClassifierDropout = 1 }));
    }

    [TestMethod]
    public void ScoringAPixelVectorOfAnotherSizeNamesTheUsersColumn()
    {
        // Before: ONNX Runtime's "Input 'StnPixels' has shape 1,3072" (an internal column the user never named).
        var ml = new MLContext(0);
        var model = ml.MulticlassClassification.Trainers.StnImageClassification(Options).Fit(Pixels(ml, RandomRows(20)));
        var small = ml.Data.LoadFromEnumerable(new[] { new SmallPixelRow { Label = "0" } });
        var e = Assert.Throws<Exception>(() => model.Transform(small).GetColumn<float[]>("Score").ToList());
        StringAssert.Contains(e.Message, "'Image'");
        Assert.IsFalse(e.Message.Contains("StnPixels", StringComparison.Ordinal), e.Message);
    }
}
