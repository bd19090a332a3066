using System.Globalization;
using Microsoft.ML;

namespace Ml.Trainers.Data;

/// <summary>
/// A seeded, stratified three-way split of the rows of a data view: per label, the rows are shuffled and the first
/// round(n·testFraction) go to test, the next round(n·validationFraction) to validation, the rest to training — at least
/// one row of each label in each part whose fraction is above 0.
/// </summary>
internal static class StratifiedSplit
{
    /// <summary>Part of each row of <paramref name="data"/>: 0 train, 1 validation, 2 test.</summary>
    public static StratifiedSplitData Split(IDataView data, string labelColumnName, double validationFraction, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        CheckFraction(validationFraction, nameof(validationFraction));
        CheckFraction(testFraction, nameof(testFraction));
        if (validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                $"validationFraction + testFraction is {validationFraction + testFraction:G3}; it must be below 1 to leave rows for training.");

        var labels = LabelText.Read(data, labelColumnName);
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
            int test = Count(rows.Length, testFraction), validation = Count(rows.Length, validationFraction);
            if (test + validation >= rows.Length)   // small labels: keep at least one row for training
            {
                test = testFraction > 0 ? 1 : 0;
                validation = validationFraction > 0 ? 1 : 0;
            }
            for (int i = 0; i < rows.Length; i++)
                parts[rows[i]] = (byte)(i < test ? 2 : i < test + validation ? 1 : 0);
        }
        return new StratifiedSplitData(new RowSubsetDataView(data, parts, 0), new RowSubsetDataView(data, parts, 1), new RowSubsetDataView(data, parts, 2));
    }

    private static int Count(int rows, double fraction) => fraction > 0 ? Math.Max(1, (int)Math.Round(rows * fraction, MidpointRounding.AwayFromZero)) : 0;

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
