using System.Globalization;
using Microsoft.ML;

namespace Ml.Trainers.Data;

/// <summary>
/// A seeded, stratified three-way split of the rows of a data view. Per label, the rows are shuffled and the first
/// round(n·testFraction) go to test, the next round(n·validationFraction) to validation, the rest to training — at least
/// one row of each label in each part whose fraction is above 0. With a group column, whole groups are dealt out the same
/// way instead of rows, so that the rows of one group never straddle two parts (<see cref="SplitGroups"/>).
/// </summary>
internal static class StratifiedSplit
{
    /// <summary>Part of each row of <paramref name="data"/>: 0 train, 1 validation, 2 test.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="labelColumnName">The label column (any scalar type).</param>
    /// <param name="validationFraction">Fraction of each label's rows (or groups) for validation, in [0, 1).</param>
    /// <param name="testFraction">Fraction of each label's rows (or groups) for testing, in [0, 1).</param>
    /// <param name="seed">Seed of the shuffle within each label.</param>
    /// <param name="groupColumnName">Rows of one group stay together; null = every row on its own.</param>
    /// <param name="warn">Told about labels whose groups are too few for every part (group mode only); null = silent.</param>
    public static StratifiedSplitData Split(IDataView data, string labelColumnName, double validationFraction, double testFraction, int seed,
        string? groupColumnName = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        CheckFraction(validationFraction, nameof(validationFraction));
        CheckFraction(testFraction, nameof(testFraction));
        if (validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                $"validationFraction + testFraction is {validationFraction + testFraction:G3}; it must be below 1 to leave rows for training.");
        if (groupColumnName is not null && string.Equals(groupColumnName, labelColumnName, StringComparison.Ordinal))
            throw new ArgumentException(
                $"The group column '{groupColumnName}' is the label column: every label would be one group, all in training. Name the column that says which rows belong together (e.g. the track, the session or the patient).",
                nameof(groupColumnName));

        var labels = WithoutMissing(LabelText.Read(data, labelColumnName), labelColumnName);
        var parts = groupColumnName is null
            ? SplitRows(labels, validationFraction, testFraction, seed)
            : SplitGroups(labels, OwnGroups(LabelText.Read(data, groupColumnName, "group", nameof(groupColumnName))), validationFraction, testFraction, seed, warn);
        return new StratifiedSplitData(new RowSubsetDataView(data, parts, 0), new RowSubsetDataView(data, parts, 1), new RowSubsetDataView(data, parts, 2));
    }

    /// <summary>
    /// The labels, after refusing a row without one: such a row is not put in a part of its own ("NaN", "") or dropped
    /// without a word; which rows have no label is the user's to fix.
    /// </summary>
    private static IReadOnlyList<string> WithoutMissing(IReadOnlyList<string?> labels, string labelColumnName)
    {
        var missing = Enumerable.Range(0, labels.Count).Where(i => labels[i] is null).ToList();
        if (missing.Count == 0)
            return labels!;
        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"Row {missing[0]} has no label: its '{labelColumnName}' is missing (empty text, NaN or key 0){(missing.Count > 1 ? $"; {missing.Count} rows in all have none (rows {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")})" : "")}. A stratified split needs a label on every row: label those rows, or leave them out first (mlContext.Data.FilterByCustomPredicate; FilterRowsByMissingValues for a number or key label)."));
    }

    /// <summary>Group values, a row without one (empty text, NaN, key 0) being a group of its own.</summary>
    private static IReadOnlyList<string> OwnGroups(IReadOnlyList<string?> groups) =>
        groups.Select((g, i) => g ?? string.Create(CultureInfo.InvariantCulture, $"\0row {i}")).ToList();

    private static byte[] SplitRows(IReadOnlyList<string> labels, double validationFraction, double testFraction, int seed)
    {
        var parts = new byte[labels.Count];
        var random = new Random(seed);
        int minimum = 1 + (validationFraction > 0 ? 1 : 0) + (testFraction > 0 ? 1 : 0);
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.ToArray();
            if (rows.Length < minimum)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Label '{group.Key}' has {rows.Length} row(s); a stratified split into {Parts(validationFraction, testFraction)} needs at least {minimum} per label (one in each part). Add images of '{group.Key}', or leave that label out."));
            random.Shuffle(rows);
            var (test, validation) = Counts(rows.Length, validationFraction, testFraction);
            for (int i = 0; i < rows.Length; i++)
                parts[rows[i]] = (byte)(i < test ? 2 : i < test + validation ? 1 : 0);
        }
        return parts;
    }

    /// <summary>
    /// Whole groups per label. Each group belongs to its most frequent label (ties: the first in ordinal order), and all
    /// its rows go where the group goes. Per label (in ordinal order), its groups (sorted by key, then shuffled by the one
    /// seeded <see cref="Random"/>) are dealt out as rows are without groups: round(g·testFraction) to test, then
    /// round(g·validationFraction) to validation (at least one each), the rest to training. A label with too few groups
    /// for every part keeps at least one in training, then fills test, then validation: with one group all its rows are
    /// in training; with two and both fractions above 0, one is in training and one in test. Such labels are reported to
    /// <paramref name="warn"/>.
    /// </summary>
    private static byte[] SplitGroups(IReadOnlyList<string> labels, IReadOnlyList<string> groups, double validationFraction, double testFraction, int seed,
        Action<string>? warn)
    {
        var rowsOfGroup = Enumerable.Range(0, labels.Count).GroupBy(i => groups[i], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var labelOfGroup = rowsOfGroup.ToDictionary(g => g.Key,
            g => g.Value.GroupBy(i => labels[i], StringComparer.Ordinal).OrderByDescending(l => l.Count()).ThenBy(l => l.Key, StringComparer.Ordinal).First().Key,
            StringComparer.Ordinal);
        var parts = new byte[labels.Count];
        var random = new Random(seed);
        int wanted = 1 + (validationFraction > 0 ? 1 : 0) + (testFraction > 0 ? 1 : 0);
        var incomplete = new List<string>();
        foreach (var label in labelOfGroup.GroupBy(g => g.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var keys = label.Select(g => g.Key).Order(StringComparer.Ordinal).ToArray();
            random.Shuffle(keys);
            int test, validation;
            if (keys.Length >= wanted)
                (test, validation) = Counts(keys.Length, validationFraction, testFraction);
            else
            {
                test = keys.Length >= 2 && testFraction > 0 ? 1 : 0;
                validation = keys.Length - test >= 2 && validationFraction > 0 ? 1 : 0;
                incomplete.Add(string.Create(CultureInfo.InvariantCulture, $"'{label.Key}' ({keys.Length} group{(keys.Length == 1 ? "" : "s")}: {PartsOf(test, validation)})"));
            }
            for (int i = 0; i < keys.Length; i++)
                foreach (int row in rowsOfGroup[keys[i]])
                    parts[row] = (byte)(i < test ? 2 : i < test + validation ? 1 : 0);
        }
        if (incomplete.Count > 0)
            warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"{incomplete.Count} label(s) have too few groups for {Parts(validationFraction, testFraction)} ({wanted} needed): {string.Join(", ", incomplete)}."));
        return parts;
    }

    /// <summary>Test and validation counts of n rows or groups: round(n·f), at least 1 each, and at least one left for training.</summary>
    private static (int Test, int Validation) Counts(int n, double validationFraction, double testFraction)
    {
        int test = Count(n, testFraction), validation = Count(n, validationFraction);
        if (test + validation >= n)   // small labels: keep at least one for training
        {
            test = testFraction > 0 ? 1 : 0;
            validation = validationFraction > 0 ? 1 : 0;
        }
        return (test, validation);
    }

    private static int Count(int rows, double fraction) => fraction > 0 ? Math.Max(1, (int)Math.Round(rows * fraction, MidpointRounding.AwayFromZero)) : 0;

    private static string PartsOf(int test, int validation) =>
        (test > 0, validation > 0) switch
        {
            (true, true) => "train, validation and test",
            (true, false) => "train and test only",
            (false, true) => "train and validation only",
            (false, false) => "training only",
        };

    private static string Parts(double validationFraction, double testFraction) =>
        (validationFraction > 0, testFraction > 0) switch
        {
            (true, true) => "train, validation and test",
            (true, false) => "train and validation",
            (false, true) => "train and test",
            (false, false) => "train",
        };

    private static void CheckFraction(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0 || value >= 1)
            throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1): the fraction of each label's rows in that part (0 = no such part).");
    }
}
