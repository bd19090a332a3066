using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TrafficSigns.Reporting;

/// <summary>confusion-matrix.md: per-label recall and precision and the counts, with the labels' names.</summary>
internal static class ConfusionMarkdown
{
    /// <param name="matrix">ML.NET's confusion matrix.</param>
    /// <param name="predictedLabel">The predicted-label key column, whose key values name the labels.</param>
    /// <param name="testName">What was scored, for the heading.</param>
    public static string Write(ConfusionMatrix matrix, DataViewSchema.Column predictedLabel, string testName)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        predictedLabel.GetKeyValues(ref names);
        var labels = names.DenseValues().Select(n => n.ToString()).ToList();
        var text = new StringBuilder($"# Confusion matrix ({testName})\n\nRows: true label; columns: predicted label index (see the first column); per-label recall and precision.\n\n");
        text.Append("| # | label | recall | precision | " + string.Join(" | ", Enumerable.Range(0, matrix.NumberOfClasses)) + " |\n");
        text.Append("|---|---|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", matrix.NumberOfClasses)) + "\n");
        for (int i = 0; i < matrix.NumberOfClasses; i++)
            text.Append(CultureInfo.InvariantCulture, $"| {i} | {(i < labels.Count ? labels[i].Replace("|", "\\|", StringComparison.Ordinal) : "?")} | {matrix.PerClassRecall[i]:F3} | {matrix.PerClassPrecision[i]:F3} | ")
                .Append(string.Join(" | ", matrix.Counts[i].Select(c => c.ToString(CultureInfo.InvariantCulture)))).Append(" |\n");
        return text.ToString();
    }
}
