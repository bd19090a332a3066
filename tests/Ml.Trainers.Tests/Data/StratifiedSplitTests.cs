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

    private sealed class KeyRow
    {
        [KeyType(3)]
        public uint Label { get; set; }
    }

    [TestMethod]
    public void ARowWithoutALabelIsRefusedByItsNumberWhateverTheLabelType()
    {
        // The sweep's case: a missing label became a label named "NaN" or "" ("Add images of 'NaN'").
        var ml = new MLContext(seed: 0);
        var rows = Enumerable.Range(0, 40).Select(i => new Row { Id = i, Label = i % 2 == 0 ? "even" : "odd", Code = i % 2 }).ToList();
        rows[3].Label = "";
        rows[3].Code = float.NaN;
        rows[17].Label = "  ";
        rows[17].Code = float.NaN;
        var data = ml.Data.LoadFromEnumerable(rows);

        var text = Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.StratifiedSplit(data, "Label"));
        StringAssert.StartsWith(text.Message, "Row 3 has no label: its 'Label' is missing (empty text, NaN or key 0); 2 rows in all have none (rows 3, 17).");
        StringAssert.Contains(text.Message, "label those rows, or leave them out first");
        StringAssert.StartsWith(Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.StratifiedSplit(data, "Code")).Message, "Row 3 has no label: its 'Code' is missing");

        // LoadFromEnumerable reads a [KeyType(3)] uint as 0-based (0, 1, 2 are keys 1, 2, 3); 3 is out of range: the missing key 0.
        var keys = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new KeyRow { Label = i == 5 ? 3u : (uint)(i % 3) }));
        StringAssert.StartsWith(Assert.ThrowsExactly<InvalidDataException>(() => ml.Data.StratifiedSplit(keys)).Message, "Row 5 has no label: its 'Label' is missing");

        // Left out first, as the message says: the split works on the rest, and no part holds an unlabelled row.
        var labelled = ml.Data.FilterByCustomPredicate<Row>(data, r => string.IsNullOrWhiteSpace(r.Label));
        var split = ml.Data.StratifiedSplit(labelled, "Label", validationFraction: 0, testFraction: 0.25);
        Assert.AreEqual(38, split.Train.GetRowCount() + split.Test.GetRowCount());
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

    private sealed class GroupedRow
    {
        public int Id { get; set; }
        public string Label { get; set; } = "";
        public string Group { get; set; } = "";
    }

    /// <summary>"a": 10 groups of 3 rows, "b": 5 groups of 2, "c": 20 groups of 1; the labels' groups interleaved.</summary>
    private static IDataView GroupedRows(MLContext ml)
    {
        var rows = new List<GroupedRow>();
        for (int g = 0; g < 20; g++)
            foreach (var (label, groups, size) in new[] { ("a", 10, 3), ("b", 5, 2), ("c", 20, 1) })
                for (int r = 0; r < size && g < groups; r++)
                    rows.Add(new GroupedRow { Id = rows.Count, Label = label, Group = $"{label}{g}" });
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static Dictionary<string, HashSet<string>> GroupsByLabel(IDataView part) =>
        part.GetColumn<string>("Label").Zip(part.GetColumn<string>("Group")).GroupBy(x => x.First)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Second).ToHashSet());

    [TestMethod]
    public void WithAGroupColumnNoGroupStraddlesTwoPartsAndEveryLabelIsInEveryPart()
    {
        var ml = new MLContext(seed: 0);
        var data = GroupedRows(ml);

        var split = ml.Data.StratifiedSplit(data, validationFraction: 0.1, testFraction: 0.2, seed: 3, groupColumnName: "Group");

        var parts = new[] { split.Train, split.Validation, split.Test }.Select(GroupsByLabel).ToList();
        var groupsOfParts = parts.Select(p => p.Values.SelectMany(g => g).ToHashSet()).ToList();
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
                Assert.IsFalse(groupsOfParts[i].Overlaps(groupsOfParts[j]), $"parts {i} and {j} share a group");
        // Fractions of each label's groups, round(g·f), at least one: a 10 → 2 test, 1 validation; b 5 → 1, 1; c 20 → 4, 2.
        Assert.AreEqual((2, 1, 7), (parts[2]["a"].Count, parts[1]["a"].Count, parts[0]["a"].Count));
        Assert.AreEqual((1, 1, 3), (parts[2]["b"].Count, parts[1]["b"].Count, parts[0]["b"].Count));
        Assert.AreEqual((4, 2, 14), (parts[2]["c"].Count, parts[1]["c"].Count, parts[0]["c"].Count));
        // Whole groups: a test group of "a" brings its 3 rows.
        Assert.AreEqual(2 * 3 + 1 * 2 + 4, split.Test.GetRowCount());
        // All rows, each part in source order.
        var ids = new[] { split.Train, split.Validation, split.Test }.Select(p => p.GetColumn<int>("Id").ToList()).ToList();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 30 + 10 + 20).ToList(), ids.SelectMany(i => i).ToList());
        foreach (var part in ids)
            CollectionAssert.AreEqual(part.Order().ToList(), part);
    }

    [TestMethod]
    public void ALabelWhoseImagesAreAllOneGroupStaysInTrainingAndIsNamedInTheLog()
    {
        var ml = new MLContext(seed: 0).RegisterStnComponents();
        var log = new List<string>();
        ml.Log += (_, e) => log.Add(e.Message);
        var rows = new List<GroupedRow>();
        for (int i = 0; i < 4; i++)
            rows.Add(new GroupedRow { Id = rows.Count, Label = "solo", Group = "one track" });
        for (int i = 0; i < 4; i++)
            rows.Add(new GroupedRow { Id = rows.Count, Label = "pair", Group = $"pair {i % 2}" });
        for (int i = 0; i < 12; i++)
            rows.Add(new GroupedRow { Id = rows.Count, Label = "many", Group = $"many {i % 6}" });
        var data = ml.Data.LoadFromEnumerable(rows);

        var split = ml.Data.StratifiedSplit(data, validationFraction: 0.2, testFraction: 0.2, seed: 1, groupColumnName: "Group");

        var (train, validation, test) = (GroupsByLabel(split.Train), GroupsByLabel(split.Validation), GroupsByLabel(split.Test));
        CollectionAssert.AreEquivalent(new[] { "one track" }, train["solo"].ToList(), "one group: all its rows train the model");
        Assert.IsFalse(validation.ContainsKey("solo") || test.ContainsKey("solo"));
        Assert.AreEqual((1, 1), (train["pair"].Count, test["pair"].Count), "two groups: one for training, one for the test");
        Assert.IsFalse(validation.ContainsKey("pair"));
        Assert.AreEqual((4, 1, 1), (train["many"].Count, validation["many"].Count, test["many"].Count));
        var warning = log.SingleOrDefault(m => m.Contains("too few groups", StringComparison.Ordinal));
        Assert.IsNotNull(warning, string.Join("\n", log));
        StringAssert.Contains(warning, "2 label(s) have too few groups for train, validation and test (3 needed): 'pair' (2 groups: train and test only), 'solo' (1 group: training only).");
        // Without groups, the rows of the one track straddle all three parts.
        var byRow = ml.Data.StratifiedSplit(data, validationFraction: 0.2, testFraction: 0.2, seed: 1);
        Assert.IsTrue(new[] { byRow.Train, byRow.Validation, byRow.Test }.All(p => p.GetColumn<string>("Label").Contains("solo")));
    }

    [TestMethod]
    public void GroupsAreSeededAndAGroupSpanningLabelsFollowsItsMostFrequentLabel()
    {
        var ml = new MLContext(seed: 0);
        var data = GroupedRows(ml);
        int[] TestIds(int seed) => ml.Data.StratifiedSplit(data, seed: seed, groupColumnName: "Group").Test.GetColumn<int>("Id").ToArray();
        CollectionAssert.AreEqual(TestIds(7), TestIds(7));
        CollectionAssert.AreNotEqual(TestIds(7), TestIds(8));

        // "mixed" has two rows of "x" and one of "y": it is an "x" group, and its "y" row goes where it goes.
        var rows = new List<GroupedRow>();
        foreach (var (label, group) in new[] { ("x", "mixed"), ("y", "mixed"), ("x", "mixed"), ("x", "x1"), ("x", "x2"), ("y", "y1"), ("y", "y2"), ("y", "y3") })
            rows.Add(new GroupedRow { Id = rows.Count, Label = label, Group = group });
        var mixed = ml.Data.LoadFromEnumerable(rows);
        for (int seed = 0; seed < 5; seed++)
        {
            var split = ml.Data.StratifiedSplit(mixed, validationFraction: 0, testFraction: 0.34, seed: seed, groupColumnName: "Group");
            var inTest = split.Test.GetColumn<string>("Group").ToHashSet();
            var mixedParts = new[] { split.Train, split.Test }.Count(p => p.GetColumn<string>("Group").Contains("mixed"));
            Assert.AreEqual(1, mixedParts, $"seed {seed}: the group is in one part");
            // x has 3 groups (mixed, x1, x2): one in test; y has 3 groups (y1..y3): one in test.
            Assert.AreEqual(2, inTest.Count, $"seed {seed}: {string.Join(", ", inTest)}");
            Assert.AreEqual(1, inTest.Count(g => g is "mixed" or "x1" or "x2"), $"seed {seed}");
        }
    }

    [TestMethod]
    public void AGroupColumnThatIsMissingOrIsTheLabelIsRefused()
    {
        var ml = new MLContext(seed: 0);
        var data = GroupedRows(ml);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Data.StratifiedSplit(data, groupColumnName: "Session")).Message,
            "The data have no group column 'Session'. Columns: Id, Label, Group");
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.StratifiedSplit(data, groupColumnName: "Label"));
        StringAssert.Contains(e.Message, "The group column 'Label' is the label column");
        Assert.AreEqual("groupColumnName", e.ParamName);
    }
}
