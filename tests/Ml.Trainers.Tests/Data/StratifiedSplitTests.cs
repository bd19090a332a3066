using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Tests.Data;

[TestClass]
public sealed class StratifiedSplitTests
{
    private sealed class Row
    {
        public int Id { get; set; }
        public string Label { get; set; } = "";
        public float Code { get; set; }
    }

    /// <summary>Rows 0..N-1: 10 "rare", 20 "mid", 100 "common", interleaved.</summary>
    private static IDataView Rows(MLContext ml)
    {
        var rows = new List<Row>();
        int id = 0;
        for (int i = 0; i < 100; i++)
        {
            rows.Add(new Row { Id = id++, Label = "common", Code = 0 });
            if (i % 5 == 0) rows.Add(new Row { Id = id++, Label = "mid", Code = 1 });
            if (i % 10 == 0) rows.Add(new Row { Id = id++, Label = "rare", Code = 2 });
        }
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static Dictionary<string, int> Counts(IDataView part) =>
        part.GetColumn<string>("Label").GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());

    [TestMethod]
    public void EveryLabelIsInEveryPartInItsShare()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.StratifiedSplit(Rows(ml), validationFraction: 0.1, testFraction: 0.2, seed: 3);
        // round(n·f), at least 1: rare 10 → 2 test, 1 validation; mid 20 → 4, 2; common 100 → 20, 10.
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { ["rare"] = 2, ["mid"] = 4, ["common"] = 20 }, Counts(split.Test));
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { ["rare"] = 1, ["mid"] = 2, ["common"] = 10 }, Counts(split.Validation));
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { ["rare"] = 7, ["mid"] = 14, ["common"] = 70 }, Counts(split.Train));
        Assert.AreEqual(91L, split.Train.GetRowCount());
        Assert.AreEqual(13L, split.Validation.GetRowCount());
        Assert.AreEqual(26L, split.Test.GetRowCount());

        // Disjoint, all rows, each part in source order.
        var ids = new[] { split.Train, split.Validation, split.Test }.Select(p => p.GetColumn<int>("Id").ToList()).ToList();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 130).ToList(), ids.SelectMany(i => i).ToList());
        foreach (var part in ids)
            CollectionAssert.AreEqual(part.Order().ToList(), part);
    }

    [TestMethod]
    public void TheSameSeedGivesTheSamePartsAndAnotherSeedOthers()
    {
        var ml = new MLContext(seed: 0);
        var data = Rows(ml);
        int[] TestIds(int seed) => ml.Data.StratifiedSplit(data, seed: seed).Test.GetColumn<int>("Id").ToArray();
        CollectionAssert.AreEqual(TestIds(7), TestIds(7));
        CollectionAssert.AreNotEqual(TestIds(7), TestIds(8));
    }

    [TestMethod]
    public void ALabelTooSmallForThePartsIsNamedWithItsCount()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(new[] { "a", "a", "a", "b", "b" }.Select((l, i) => new Row { Id = i, Label = l }));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.StratifiedSplit(data));
        StringAssert.Contains(e.Message, "Label 'b' has 2 row(s); a stratified split into train, validation and test needs at least 3 per label");
        // Three rows are enough: one in each part.
        var split = ml.Data.StratifiedSplit(data, validationFraction: 0, testFraction: 0.2);
        Assert.AreEqual(0L, split.Validation.GetRowCount());
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, Counts(split.Test));
        CollectionAssert.AreEquivalent(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, Counts(split.Train));
    }

    [TestMethod]
    public void TextKeyAndNumberLabelsGiveTheSameParts()
    {
        var ml = new MLContext(seed: 0);
        var data = Rows(ml);
        var withKey = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data).Transform(data);
        // The groups are the same and come in the same order ("common" < "mid" < "rare", keys 1 < 2 < 3, codes 0 < 1 < 2),
        // so the seeded shuffles are the same.
        int[] TestIds(IDataView d, string column) => ml.Data.StratifiedSplit(d, column, seed: 5).Test.GetColumn<int>("Id").ToArray();
        var byText = TestIds(data, "Label");
        Assert.HasCount(26, byText);
        CollectionAssert.AreEqual(byText, TestIds(withKey, "Key"));
        CollectionAssert.AreEqual(byText, TestIds(data, "Code"));
        // Every id its own label: too few rows per label, named.
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.StratifiedSplit(data, "Id")).Message, "Label '0' has 1 row(s)");
    }

    [TestMethod]
    public void FractionsAndColumnsThatCannotWorkAreRefused()
    {
        var ml = new MLContext(seed: 0);
        var data = Rows(ml);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.StratifiedSplit(data, validationFraction: 0.5, testFraction: 0.5)).Message, "must be below 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.StratifiedSplit(data, testFraction: -0.1)).Message, "Must be in [0, 1)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Data.StratifiedSplit(data, "Class")).Message, "no label column 'Class'. Columns: Id, Label");
    }

    [TestMethod]
    public void PartsWorkInAnMlNetPipeline()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.StratifiedSplit(Rows(ml), seed: 1);
        var model = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(split.Train);
        var keys = model.Transform(split.Test).GetColumn<uint>("Key").ToList();
        Assert.HasCount(26, keys);
        Assert.AreEqual(3, keys.Distinct().Count(), "all three labels are in the test part and known to the mapping fitted on training");
        // Cached and re-read: the same rows every time.
        var cached = ml.Data.Cache(split.Test);
        CollectionAssert.AreEqual(split.Test.GetColumn<int>("Id").ToArray(), cached.GetColumn<int>("Id").ToArray());
    }
}
