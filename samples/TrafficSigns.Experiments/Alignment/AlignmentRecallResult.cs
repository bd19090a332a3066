using System.Globalization;
using System.Text;
using Ml.Transforms.Sampling;

namespace TrafficSigns.Experiments.Alignment;

/// <summary>The table of <see cref="AlignmentRecall.Run"/>: one row per (strength, sampler, downsampling) cell.</summary>
/// <param name="Rows">Cells in order strength, then downsampling, then sampler (the options' orders).</param>
/// <param name="SuccessThreshold">The success threshold used, output pixels.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
internal sealed record AlignmentRecallResult(IReadOnlyList<AlignmentRecallRow> Rows, double SuccessThreshold, TimeSpan Elapsed)
{
    /// <summary>The row of one cell.</summary>
    /// <exception cref="KeyNotFoundException">No such cell was run.</exception>
    public AlignmentRecallRow Row(double strength, SamplingMode sampler, int downsampling) =>
        Rows.FirstOrDefault(r => r.Strength == strength && r.Sampler == sampler && r.Downsampling == downsampling)
        ?? throw new KeyNotFoundException($"No cell for strength {strength}, {sampler}, {downsampling}×.");

    /// <summary>
    /// Plain-text tables, one block per strength: a line per sampler, a column per downsampling factor, each cell
    /// "recall (mean corner error px)", and a "start" line with the recall and error before any optimisation.
    /// </summary>
    public string FormatTable()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var factors = Rows.Select(r => r.Downsampling).Distinct().ToList();
        var samplers = Rows.Select(r => r.Sampler).Distinct().ToList();
        const int cell = 17;
        foreach (var strength in Rows.Select(r => r.Strength).Distinct())
        {
            var first = Rows.First(r => r.Strength == strength);
            text.Append(inv, $"σ = {strength:0.###}  ({first.Trials} trials, success: mean corner error < {SuccessThreshold:0.##} output px)").AppendLine();
            text.Append("".PadRight(12));
            foreach (var f in factors)
            {
                var any = Rows.First(r => r.Strength == strength && r.Downsampling == f);
                text.Append(string.Create(inv, $"{f}× ({any.OutputSize} px)").PadLeft(cell));
            }
            text.AppendLine();
            text.Append("start".PadRight(12));
            foreach (var f in factors)
            {
                var any = Rows.First(r => r.Strength == strength && r.Downsampling == f);
                text.Append(string.Create(inv, $"{any.InitialRecall:0.00} ({any.MeanInitialCornerError:0.00})").PadLeft(cell));
            }
            text.AppendLine();
            foreach (var sampler in samplers)
            {
                text.Append(sampler.ToString().PadRight(12));
                foreach (var f in factors)
                {
                    var row = Rows.FirstOrDefault(r => r.Strength == strength && r.Sampler == sampler && r.Downsampling == f);
                    string value = row is null ? "-" : string.Create(inv, $"{row.Recall:0.00} ({row.MeanCornerError:0.00})");
                    if (row is { Diverged: > 0 })
                        value += string.Create(inv, $"!{row.Diverged}");
                    text.Append(value.PadLeft(cell));
                }
                text.AppendLine();
            }
            text.AppendLine();
        }
        text.Append(inv, $"Elapsed {Elapsed.TotalSeconds:0.0} s.").AppendLine();
        return text.ToString();
    }
}
