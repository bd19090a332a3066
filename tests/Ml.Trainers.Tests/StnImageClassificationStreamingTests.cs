using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers.Data;
using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;

namespace Ml.Trainers.Tests;

/// <summary>
/// The trainer reads its data as the epochs go: kept in memory once read (InMemoryLimitMegabytes) or read again every
/// epoch, from a column of image paths (decoded by the library) or of ML.NET images — always the same batches in the same
/// seeded order, so the same weights.
/// </summary>
[TestClass]
public sealed class StnImageClassificationStreamingTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>The validation part of the 8-class PNG set (absolute paths), and another part for validation.</summary>
    private static (IDataView Train, IDataView Validation) Rows(MLContext ml, IEnumerable<string>? extraTrainingPaths = null)
    {
        IEnumerable<Row> Read(string tsv) => File.ReadLines(tsv).Skip(1).Select(line => line.Split('\t'))
            .Select(f => new Row { ImagePath = Path.Combine(GtsrbPngSet.Folder, f[0]), Label = f[1] });
        var train = Read(GtsrbPngSet.ValidationTsv).ToList();
        foreach (var path in extraTrainingPaths ?? [])
            train.Insert(7, new Row { ImagePath = path, Label = train[0].Label });
        return (ml.Data.LoadFromEnumerable(train), ml.Data.LoadFromEnumerable(Read(GtsrbPngSet.TrainTsv).Where((_, i) => i % 5 == 0).ToList()));
    }

    private static StnImageClassificationOptions Options(string imageColumn, int inMemoryLimit) => new()
    {
        ImageColumnName = imageColumn,
        InMemoryLimitMegabytes = inMemoryLimit,
        Training = { Epochs = 2, BatchSize = 32, Device = ComputeDevice.Cpu, PerturbationStrength = 0.25, EarlyStoppingPatience = 0 },
    };

    /// <summary>Fits on <paramref name="train"/> (validating on <paramref name="validation"/>) and scores <paramref name="validation"/>.</summary>
    private static (float[][] Scores, StnImageClassificationTrainer Trainer, ITransformer Model) Fit(MLContext ml, IDataView train, IDataView validation,
        bool pathColumn, int inMemoryLimit)
    {
        var labels = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        IEstimator<ITransformer> images = pathColumn ? new EstimatorChain<ITransformer>() : ml.Transforms.LoadImages("Image", null, "ImagePath");
        var preprocessing = images.Append(ml.Transforms.Conversion.MapValueToKey("Label")).Fit(train);
        var options = Options(pathColumn ? "ImagePath" : "Image", inMemoryLimit);
        options.ValidationSet = preprocessing.Transform(validation);
        var trainer = ml.MulticlassClassification.Trainers.StnImageClassification(options);
        var model = trainer.Fit(preprocessing.Transform(train));
        var scores = model.Transform(preprocessing.Transform(validation)).GetColumn<float[]>("Score").ToArray();
        return (scores, trainer, preprocessing.Append(model));
    }

    [TestMethod]
    public void KeptOrStreamedPathsOrImagesGiveTheSameModel()
    {
        var ml = new MLContext(0).RegisterStnComponents();
        var (train, validation) = Rows(ml);
        var (expected, reference, _) = Fit(ml, train, validation, pathColumn: false, inMemoryLimit: 256);
        foreach (var (paths, limit) in new[] { (false, 0), (true, 256), (true, 0) })
        {
            var (scores, trainer, _) = Fit(ml, train, validation, paths, limit);
            string what = $"{(paths ? "path column" : "image column")}, {(limit == 0 ? "streamed" : "kept in memory")}";
            Assert.HasCount(expected.Length, scores);
            for (int i = 0; i < expected.Length; i++)
                CollectionAssert.AreEqual(expected[i], scores[i], $"{what}, row {i}: the same batches in the same order give the same weights");
            CollectionAssert.AreEqual(reference.TrainingResult!.Value.History.Select(h => h.ValidationAccuracy).ToList(),
                trainer.TrainingResult!.Value.History.Select(h => h.ValidationAccuracy).ToList(), what);
            Assert.IsEmpty(trainer.SkippedImages);
        }
    }

    [TestMethod]
    public void AModelTrainedOnPathsScoresPathsAfterSaveAndLoad()
    {
        var ml = new MLContext(0).RegisterStnComponents();
        var (train, validation) = Rows(ml);
        var (scores, _, model) = Fit(ml, train, validation, pathColumn: true, inMemoryLimit: 0);
        var file = Path.Combine(Path.GetTempPath(), $"stn-paths-{Environment.ProcessId}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, file);
            var fresh = new MLContext(1).RegisterStnComponents();
            var loaded = fresh.Model.Load(file, out var schema);
            Assert.AreEqual(TextDataViewType.Instance, schema["ImagePath"].Type);
            var reloaded = loaded.Transform(validation).GetColumn<float[]>("Score").ToArray();
            for (int i = 0; i < scores.Length; i++)
                CollectionAssert.AreEqual(scores[i], reloaded[i], $"row {i}: the saved model loads and resizes the images as training read them");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void ImagesThatCannotBeDecodedAreLeftOutNamedAndLogged()
    {
        var folder = Directory.CreateTempSubdirectory("stn-streaming-tests-").FullName;
        try
        {
            var cut = Path.Combine(folder, "cut.png");
            File.WriteAllBytes(cut, File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(GtsrbPngSet.Folder, "Train", "14")).First())[..50]);
            var text = Path.Combine(folder, "notes.png");
            File.WriteAllText(text, "not an image");
            var ml = new MLContext(0).RegisterStnComponents();
            var log = new List<string>();
            ml.Log += (_, e) => { if (e.Source.Contains(nameof(StnImageClassificationTrainer))) lock (log) log.Add(e.Message); };
            var (train, validation) = Rows(ml, [cut, text]);
            var (scores, trainer, _) = Fit(ml, train, validation, pathColumn: true, inMemoryLimit: 0);
            Assert.IsTrue(scores.All(s => s.All(float.IsFinite)));
            Assert.HasCount(2, trainer.SkippedImages, "each named once, though read in both epochs");
            CollectionAssert.AreEquivalent(new[] { cut, text }, trainer.SkippedImages.Select(s => s.Path).ToList());
            Assert.IsTrue(trainer.SkippedImages.All(s => s.Kind == SkipKind.Unreadable && s.Reason.Contains(s.Path, StringComparison.Ordinal)));
            Assert.IsTrue(log.Any(l => l.Contains("Left out of training", StringComparison.Ordinal) && l.Contains(cut, StringComparison.Ordinal)),
                string.Join("\n", log) + "\n" + string.Join("\n", trainer.SkippedImages));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void CancellingAStreamedFitStopsWithinABatch()
    {
        var ml = new MLContext(0).RegisterStnComponents();
        var (train, validation) = Rows(ml);
        using var cancellation = new CancellationTokenSource();
        var options = Options("ImagePath", inMemoryLimit: 0);
        int batches = 0;
        options.CancellationToken = cancellation.Token;
        options.Progress = p => { if (p.CompletedEpoch is null && ++batches == 2) cancellation.Cancel(); };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.StnImageClassification(options));
        Assert.ThrowsExactly<OperationCanceledException>(() => pipeline.Fit(train));
        Assert.AreEqual(2, batches);
    }

    /// <summary>Rows that come in the list's order on one enumeration and reversed on the next (a query without an ORDER BY).</summary>
    private sealed class OrderChangingRows(IReadOnlyList<Row> rows) : IEnumerable<Row>
    {
        private int enumerations;

        public IEnumerator<Row> GetEnumerator() =>
            (Interlocked.Increment(ref enumerations) % 2 == 0 ? rows.Reverse() : rows).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [TestMethod]
    public void AViewThatChangesItsRowOrderBetweenReadsIsRefusedNotTrainedOnWithOtherRowsLabels()
    {
        var ml = new MLContext(0).RegisterStnComponents();
        var (train, _) = Rows(ml);
        var rows = ml.Data.CreateEnumerable<Row>(train, reuseRowObject: false).ToList();
        var changing = ml.Data.LoadFromEnumerable(new OrderChangingRows(rows));
        foreach (int limit in new[] { 256, 0 })
        {
            var options = Options("Image", limit);
            options.Training.Epochs = 1;
            var pipeline = ml.Transforms.LoadImages("Image", null, "ImagePath").Append(ml.Transforms.Conversion.MapValueToKey("Label"))
                .Append(ml.MulticlassClassification.Trainers.StnImageClassification(options));
            var e = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(changing), $"in-memory limit {limit}");
            StringAssert.Contains(e.Message, "has another label than it had when training started");
            StringAssert.Contains(e.Message, "same rows in the same order");
        }
    }
}
