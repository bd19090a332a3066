using Ml.Transforms.Devices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Transforms.MlNet;
using Ml.Transforms.Tests.Support;
using Ml.Transforms.Training;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.MlNet;

[TestClass]
public sealed class PixelBatchesTests
{
    private const int Side = 16;
    private static string folder = "";
    private static List<string> files = [];

    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    [ClassInitialize]
    public static void WriteImages(TestContext _)
    {
        folder = Directory.CreateTempSubdirectory("pixel-batches-tests-").FullName;
        files = GeneratedImages.Write(folder, 60, seed: 1);
    }

    [ClassCleanup]
    public static void DeleteImages() => Directory.Delete(folder, recursive: true);

    /// <summary><paramref name="count"/> rows of the generated files (repeated), labels "a"/"b"/"c" by row, every seventh row without a label (key 0).</summary>
    private static (MLContext Ml, IDataView Rows) Data(int count, IReadOnlyList<string>? paths = null)
    {
        paths ??= files;
        var ml = new MLContext(0);
        var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new Row { ImagePath = paths[i % paths.Count], Label = i % 7 == 3 ? "" : "abc"[i % 3].ToString() }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(new[] { "a", "b", "c" }.Select(l => new Key { Label = l })))
            .Fit(rows).Transform(rows);
        return (ml, keyed);
    }

    /// <summary>A batch source over the rows: the files decoded by the library (paths), or by ML.NET's LoadImages through cursors.</summary>
    private static PixelBatches Batches(MLContext ml, IDataView rows, bool paths, bool cache)
    {
        IDataView data = rows;
        PixelInput input;
        if (paths)
            input = PixelInput.Resolve(rows.Schema, "ImagePath", "ImageColumnName", 3, Side, Side, "Pixels", "training data", acceptPaths: true);
        else
        {
            data = ml.Transforms.LoadImages("Image", null, "ImagePath").Fit(rows).Transform(rows);
            input = PixelInput.Resolve(data.Schema, "Image", "ImageColumnName", 3, Side, Side, "Pixels", "training data");
        }
        var index = PixelRowIndex.Read(data, input, "Label", "training data", CancellationToken.None);
        return new PixelBatches(PixelSource.Create(ml, data, input, index, "training data"), cache, labelled: true);
    }

    /// <summary>Every batch of a pass in <paramref name="order"/>: (rows, pixels, labels) as arrays.</summary>
    private static List<(long[] Rows, float[] Pixels, long[] Labels)> Pass(MiniBatchSource source, Tensor order, int batchSize, Action<int>? afterBatch = null)
    {
        var batches = new List<(long[], float[], long[])>();
        using var reader = source.Open(order, batchSize, CancellationToken.None);
        for (long start = 0; start < source.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = reader.Next();
            batches.Add((batch.Rows.data<long>().ToArray(), batch.Images!.data<float>().ToArray(), batch.Labels!.data<long>().ToArray()));
            afterBatch?.Invoke(batches.Count);
        }
        return batches;
    }

    [TestMethod]
    public void PathsAndImageColumnsCachedOrNotGiveTheBatchesOfTheTensorsInMemory()
    {
        var (ml, rows) = Data(150);
        // What the trainer read before streaming: every row's ExtractPixels floats in one tensor, selected per batch.
        var image = ml.Transforms.LoadImages("Image", null, "ImagePath").Fit(rows).Transform(rows);
        var input = PixelInput.Resolve(image.Schema, "Image", "ImageColumnName", 3, Side, Side, "Pixels", "training data");
        var (images, keys) = input.Read(ml, image, "Label", "training data", CancellationToken.None);
        using var inMemory = new TensorBatches(images, keys);
        using var order = randperm(inMemory.Count, generator: new Generator(7));
        var expected = Pass(inMemory, order, 16);
        Assert.AreEqual(Enumerable.Range(0, 150).Count(i => i % 7 != 3), inMemory.Count, "rows without a label are left out");
        foreach (bool paths in new[] { true, false })
            foreach (bool cache in new[] { true, false })
            {
                using var source = Batches(ml, rows, paths, cache);
                for (int pass = 1; pass <= 2; pass++)
                {
                    var actual = Pass(source, order, 16);
                    Assert.HasCount(expected.Count, actual);
                    for (int b = 0; b < expected.Count; b++)
                    {
                        string where = $"{(paths ? "paths" : "image column")}, {(cache ? "cached" : "streamed")}, pass {pass}, batch {b}";
                        CollectionAssert.AreEqual(expected[b].Rows, actual[b].Rows, where);
                        CollectionAssert.AreEqual(expected[b].Labels, actual[b].Labels, where);
                        CollectionAssert.AreEqual(expected[b].Pixels, actual[b].Pixels, where + ": bit for bit");
                    }
                }
                Assert.AreEqual(cache ? (long)source.Count * 3 * Side * Side : 0, source.CachedBytes);
            }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void AFewBatchesAreHeldWhateverTheDataSize(bool paths)
    {
        // 3,000 rows, batches of 10, a consumer slower than the reader: the reader waits once it is Prefetched batches
        // ahead, so the rows held at once stay at a read window plus a few batches.
        var (ml, rows) = Data(3000);
        using var source = Batches(ml, rows, paths, cache: false);
        using var order = randperm(source.Count, generator: new Generator(1));
        Pass(source, order, 10, afterBatch: b => { if (b % 25 == 0) Thread.Sleep(20); });
        int window = source.Source.ReadSize(10);
        int bound = window + (PixelBatches.Prefetched + 2) * 10;
        Assert.IsLessThanOrEqualTo(bound, source.PeakRowsHeld, $"at most the read window ({window}) and {PixelBatches.Prefetched} + 2 batches of 10");
        Assert.IsLessThan(source.Count / 10, source.PeakRowsHeld, "a small part of the data");
    }

    [TestMethod]
    public void AFileThatCannotBeDecodedIsLeftOutOfItsBatchNamedAndNotReadAgain()
    {
        var damaged = Path.Combine(folder, "damaged.png");
        File.WriteAllBytes(damaged, File.ReadAllBytes(files.First(f => f.EndsWith(".png", StringComparison.Ordinal)))[..40]);
        var empty = Path.Combine(folder, "empty.png");
        File.WriteAllBytes(empty, []);
        var (ml, rows) = Data(40, [.. files.Take(20), damaged, empty]);
        using var source = Batches(ml, rows, paths: true, cache: false);
        using var order = KeptScalars.Arange(source.Count, ScalarType.Int64);
        for (int pass = 1; pass <= 2; pass++)
        {
            var batches = Pass(source, order, 8);
            Assert.AreEqual(source.Count - 2, batches.Sum(b => b.Rows.Length), "both damaged rows left out");
            Assert.AreEqual(batches.Sum(b => b.Rows.Length) * 3 * Side * Side, batches.Sum(b => b.Pixels.Length));
        }
        var unreadable = source.Source.Unreadable;
        Assert.HasCount(2, unreadable, "each named once, and not tried again");
        Assert.AreEqual(damaged, unreadable[0].Name);
        StringAssert.Contains(unreadable[0].Reason, damaged);
        Assert.AreEqual(empty, unreadable[1].Name);
        StringAssert.Contains(unreadable[1].Reason, "it is empty");
    }

    [TestMethod]
    public void CancellingStopsThePassAndItsReader()
    {
        var (ml, rows) = Data(2000);
        using var source = Batches(ml, rows, paths: true, cache: false);
        using var order = KeptScalars.Arange(source.Count, ScalarType.Int64);
        using var cancellation = new CancellationTokenSource();
        var reader = source.Open(order, 10, cancellation.Token);
        using (NewDisposeScope())
            reader.Next();
        cancellation.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => reader.Next());
        var stopped = Task.Run(reader.Dispose);
        Assert.IsTrue(stopped.Wait(TimeSpan.FromSeconds(30)), "the reading thread stops");
    }

    [TestMethod]
    public void ANaNPixelStopsThePassNamingItsRow()
    {
        var ml = new MLContext(0);
        var vectors = Enumerable.Range(0, 50).Select(i => new Vector { Pixels = Enumerable.Repeat(i == 37 ? float.NaN : 0.5f, 12).ToArray() }).ToList();
        var data = ml.Data.LoadFromEnumerable(vectors);
        var input = PixelInput.Resolve(data.Schema, "Pixels", "ImageColumnName", 3, 2, 2, "Pixels", "training data");
        var index = PixelRowIndex.Read(data, input, null, "training data", CancellationToken.None);
        using var source = new PixelBatches(PixelSource.Create(ml, data, input, index, "training data"), cache: false, labelled: false);
        using var order = KeptScalars.Arange(50, ScalarType.Int64);
        using var reader = source.Open(order, 10, CancellationToken.None);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
        {
            for (int b = 0; b < 5; b++)
                using (NewDisposeScope())
                    reader.Next();
        });
        StringAssert.Contains(e.Message, "Row 37 of the training data has a NaN pixel in column 'Pixels'");
    }

    private sealed class Key
    {
        public string Label { get; set; } = "";
    }

    private sealed class Vector
    {
        [VectorType(12)]
        public float[] Pixels { get; set; } = [];
    }
}
