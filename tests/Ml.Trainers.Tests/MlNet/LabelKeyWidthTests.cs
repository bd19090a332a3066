using System.Globalization;
using Ml.Trainers.Tests.Support;
using Ml.Transforms.Devices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests.MlNet;

/// <summary>
/// ML.NET keys may be stored as byte, ushort, uint or ulong (e.g. a text loader's key column, or <c>[KeyType]</c> on a
/// class's field); the trainer reads every width (before: ML.NET's internal "Invalid TValue" for
/// all but uint).
/// </summary>
[TestClass]
public sealed class LabelKeyWidthTests
{
    private const int Classes = 3;
    private const int Size = 3 * 32 * 32;

    /// <summary>Images whose class is their colour (red, green, blue) plus noise, and their keys 1..3 (0 = missing for the last row).</summary>
    private static (float[] Image, int Key)[] Rows()
    {
        var random = new Random(0);
        return Enumerable.Range(0, 31).Select(i =>
        {
            int cls = i % Classes;
            var image = Enumerable.Range(0, Size).Select(j => (float)((j / (Size / 3) == cls ? 0.7 : 0.2) + 0.1 * random.NextDouble())).ToArray();
            return (image, i == 30 ? 0 : cls + 1);
        }).ToArray();
    }

    /// <summary>The rows as ML.NET's text loader reads them with the label declared a key of 3 stored as <paramref name="width"/>.</summary>
    private static IDataView Data(MLContext ml, DataKind width, TempDirectory temp)
    {
        var lines = Rows().Select(r => string.Join('\t', r.Image.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\t" + r.Key.ToString(CultureInfo.InvariantCulture));
        var path = temp.Write("rows.tsv", string.Join('\n', lines));
        var loader = ml.Data.CreateTextLoader(
        [
            new TextLoader.Column("Image", DataKind.Single, 0, Size - 1),
            new TextLoader.Column("Label", width, Size) { KeyCount = new KeyCount(Classes) },
        ], separatorChar: '\t');
        return loader.Load(path);
    }

    [TestMethod]
    [DataRow(DataKind.Byte, typeof(byte))]
    [DataRow(DataKind.UInt16, typeof(ushort))]
    [DataRow(DataKind.UInt32, typeof(uint))]
    [DataRow(DataKind.UInt64, typeof(ulong))]
    public void EveryKeyWidthTrainsScoresAndEvaluates(DataKind kind, Type width)
    {
        var ml = new MLContext(0);
        using var temp = new TempDirectory();
        var data = Data(ml, kind, temp);
        var label = (KeyDataViewType)data.Schema["Label"].Type;
        Assert.AreEqual(width, label.RawType, "the label is a key stored at that width");
        Assert.AreEqual((ulong)Classes, label.Count);
        var trainer = ml.MulticlassClassification.Trainers.StnImageClassification(new StnImageClassificationOptions
        {
            Architecture = Ml.Transforms.Modules.SpatialArchitecture.None,
            Transformer = { Downsampling = 4 },
            Training = { Epochs = 3, BatchSize = 10, Device = ComputeDevice.Cpu },
        });
        var scored = trainer.Fit(data).Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.AreEqual(Classes, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
        Assert.AreEqual(Classes, metrics.ConfusionMatrix.NumberOfClasses);
        // Colour classes are easy; the row with the missing key 0 is skipped by training and by Evaluate.
        Assert.IsGreaterThan(0.6, metrics.MicroAccuracy, $"{width.Name} keys: accuracy {metrics.MicroAccuracy:F2} (chance 0.33)");
    }
}
