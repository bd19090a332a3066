using Ml.Trainers.Tests.Export;
using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests.MlNet;

/// <summary>
/// Rows the model cannot score (issue 13, item 4): a NaN or infinite pixel gives NaN scores and the missing key 0,
/// never class 1; ML.NET's Evaluate leaves such rows out; an empty image path is a black image.
/// </summary>
[TestClass]
public sealed class UnscoredRowsTests
{
    private const int Size = 16;
    private const int Pixels = 3 * Size * Size;

    private sealed class PixelRow
    {
        [VectorType(Pixels)] public float[] Image { get; set; } = new float[Pixels];
        public string Label { get; set; } = "";
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    private static PixelRow[] RandomRows(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i => new PixelRow
        {
            Image = Enumerable.Range(0, Pixels).Select(_ => (float)random.NextDouble() * (i % 2 == 0 ? 0.5f : 1f)).ToArray(),
            Label = i % 2 == 0 ? "dark" : "bright",
        }).ToArray();
    }

    /// <summary>A pixel-vector model (MapValueToKey + trainer), fitted on 20 random rows, 1 epoch.</summary>
    private static ITransformer Train(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(RandomRows(20, seed: 0));
        return ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
            {
                Transformer = { ImageWidth = Size, ImageHeight = Size },
                Training = { Epochs = 1, BatchSize = 10, Device = ComputeDevice.Cpu },
            }))
            .Fit(data);
    }

    [TestMethod]
    public void ARowWithANaNOrInfinitePixelGetsNaNScoresAndTheMissingKeyInTransformAndInAPredictionEngine()
    {
        var ml = new MLContext(0).RegisterStnComponents();
        var model = Train(ml);
        var rows = RandomRows(5, seed: 1);
        rows[1].Image[100] = float.NaN;
        rows[2].Image[0] = float.PositiveInfinity;
        rows[3].Image[Pixels - 1] = float.NegativeInfinity;

        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        var scores = scored.GetColumn<float[]>("Score").ToList();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
        CollectionAssert.AreEqual(new uint[] { 0, 0, 0 }, keys.Skip(1).Take(3).ToList(), "bad rows: the missing key");
        Assert.IsTrue(scores.Skip(1).Take(3).All(s => s.Length == 2 && s.All(float.IsNaN)), "bad rows: NaN scores");
        foreach (int row in new[] { 0, 4 })
        {
            Assert.IsTrue(keys[row] is 1 or 2, $"row {row} key {keys[row]}");
            Assert.IsTrue(scores[row].All(float.IsFinite), $"row {row} scores");
            Assert.AreEqual(1.0, scores[row].Sum(), 1e-5, $"row {row} probabilities");
        }

        var engine = ml.Model.CreatePredictionEngine<PixelRow, Prediction>(model);
        for (int row = 0; row < rows.Length; row++)
        {
            var p = engine.Predict(rows[row]);
            Assert.AreEqual(keys[row], p.PredictedLabel, $"engine, row {row}");
            CollectionAssert.AreEqual(scores[row], p.Score, $"engine, row {row}");
        }

        // The key's text: MapKeyToValue gives the empty text for the missing key.
        var texts = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(scored).Transform(scored)
            .GetColumn<string>("PredictedText").ToList();
        Assert.AreEqual("", texts[1]);
        Assert.IsTrue(texts[0] is "dark" or "bright");
    }

    [TestMethod]
    public void EvaluateLeavesRowsWithNaNScoresOutOfEveryMetricSoCountThemFirst()
    {
        // Measured ML.NET 5.0.1 and 6.0.0 behaviour: the multiclass evaluator skips a row whose Score has a NaN or infinite value
        // (it counts it as a "bad score", but the public Evaluate drops that warning). The metrics equal those of the
        // clean rows alone, and the confusion matrix counts only them.
        var ml = new MLContext(0).RegisterStnComponents();
        var model = Train(ml);
        var rows = RandomRows(12, seed: 2);
        foreach (int row in new[] { 2, 5, 9 })
            rows[row].Image[7] = float.NaN;
        var all = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(rows)));
        var clean = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(
            rows.Where((_, i) => i is not (2 or 5 or 9)))));

        Assert.AreEqual(clean.LogLoss, all.LogLoss, 1e-12, "log-loss of the 9 clean rows");
        Assert.AreEqual(clean.MicroAccuracy, all.MicroAccuracy, 1e-12);
        Assert.AreEqual(clean.MacroAccuracy, all.MacroAccuracy, 1e-12);
        Assert.AreEqual(9.0, all.ConfusionMatrix.Counts.Sum(r => r.Sum()), "the confusion matrix counts the scored rows only");

        // How to notice: count the rows with the missing key (or NaN scores) before trusting the metrics.
        var unscored = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<uint>("PredictedLabel").Count(k => k == 0);
        Assert.AreEqual(3, unscored);
    }

    [TestMethod]
    public void AnEmptyOrNullImagePathIsScoredAsABlackImageOrFailsAfterARealImage()
    {
        // Measured ML.NET 5.0.1 and 6.0.0 behaviour, documented in StnImageClassificationOptions.ImageColumnName: LoadImages gives
        // no image for an empty or null path and ExtractPixels turns "no image" into zeros, so the row is scored as a
        // black image (a class, not the missing key). But ResizeImages disposes its previous output and hands it on for a
        // missing image, so an empty path AFTER a real image in the same cursor or PredictionEngine fails with
        // "Object is disposed". A path of spaces is a missing file.
        using var tiny = new TinyImageModel();
        var black = new byte[TinyImageModel.Size * TinyImageModel.Size * 4];
        for (int i = 3; i < black.Length; i += 4) black[i] = 255;
        using (var image = MLImage.CreateFromPixels(TinyImageModel.Size, TinyImageModel.Size, MLPixelFormat.Rgba32, black))
            image.Save(Path.Combine(tiny.Folder, "black.png"));
        var ml = new MLContext(0).RegisterStnComponents();
        var model = ml.Model.Load(tiny.ZipPath, out _);
        IDataView Rows(params string?[] paths) =>
            ml.Data.LoadFromEnumerable(paths.Select(p => new StnImageClassificationTrainerTests.ImageRow { ImagePath = p!, Label = "red" }));

        var scored = model.Transform(Rows("", null, "black.png"));
        var scores = scored.GetColumn<float[]>("Score").ToList();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
        CollectionAssert.AreEqual(scores[2], scores[0], "empty path = black image");
        CollectionAssert.AreEqual(scores[2], scores[1], "null path = black image");
        Assert.IsTrue(keys.All(k => k == keys[2] && k >= 1), "a class, not the missing key");

        foreach (var after in new[] { "", null })
        {
            var e = Assert.Throws<InvalidOperationException>(() => model.Transform(Rows("black.png", after)).GetColumn<float[]>("Score").ToList());
            StringAssert.Contains((e.InnerException ?? e).Message, "Object is disposed");
        }
        var engine = ml.Model.CreatePredictionEngine<StnImageClassificationTrainerTests.ImageRow, Prediction>(model);
        CollectionAssert.AreEqual(scores[2], engine.Predict(new StnImageClassificationTrainerTests.ImageRow { ImagePath = "" }).Score, "engine, first row");
        engine.Predict(new StnImageClassificationTrainerTests.ImageRow { ImagePath = "black.png" });
        var disposed = Assert.Throws<InvalidOperationException>(() => engine.Predict(new StnImageClassificationTrainerTests.ImageRow { ImagePath = "" }));
        StringAssert.Contains(disposed.Message, "Object is disposed");

        var spaces = Assert.Throws<Exception>(() => model.Transform(Rows(" ")).GetColumn<float[]>("Score").ToList());
        Assert.IsInstanceOfType<FileNotFoundException>(spaces.InnerException ?? spaces);
    }
}
