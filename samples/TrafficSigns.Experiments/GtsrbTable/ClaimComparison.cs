using System.Globalization;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>
/// The paper's claim, cell by cell: for an architecture (STN or IC-STN) at a downsampling factor, does training with the
/// linearized sampler give a lower test error than with the bilinear one? Means over the seeds both rows ran, the
/// difference, and its standard error (sample std of each row over seeds, combined).
/// </summary>
internal sealed record ClaimComparison(SpatialArchitecture Architecture, int Downsampling, int Seeds, double Bilinear, double Linearized, double StandardError)
{
    /// <summary>Bilinear error − Linearized error, percentage points: positive when Linearized is better.</summary>
    public double Gain => Bilinear - Linearized;

    /// <summary>Every (architecture, factor) of <paramref name="results"/> that has both a Bilinear and a Linearized row.</summary>
    /// <param name="results">Trained cells.</param>
    /// <param name="error">Which error (% of the test set) to compare.</param>
    public static IReadOnlyList<ClaimComparison> From(IReadOnlyList<CellResult> results, Func<CellResult, double> error)
    {
        var comparisons = new List<ClaimComparison>();
        foreach (var architecture in new[] { SpatialArchitecture.Stn, SpatialArchitecture.InverseCompositionalStn })
            foreach (int factor in results.Select(r => r.Downsampling).Distinct().Order())
            {
                var bilinear = Errors(results, architecture, SamplingMode.Bilinear, factor, error);
                var linearized = Errors(results, architecture, SamplingMode.Linearized, factor, error);
                if (bilinear.Count == 0 || linearized.Count == 0)
                    continue;
                double se = Math.Sqrt(Variance(bilinear) / bilinear.Count + Variance(linearized) / linearized.Count);
                comparisons.Add(new ClaimComparison(architecture, factor, Math.Min(bilinear.Count, linearized.Count), bilinear.Average(), linearized.Average(), se));
            }
        return comparisons;
    }

    /// <summary>One line for the report, e.g. "IC-STN 4×: Linearized 6.10 % vs Bilinear 9.80 %: Linearized better by 3.70 points (± 0.50, 3 seeds)".</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        string name = Architecture == SpatialArchitecture.Stn ? "STN" : "IC-STN";
        string verdict = Gain > 0 ? string.Create(inv, $"Linearized better by {Gain:F2} points")
            : Gain < 0 ? string.Create(inv, $"Linearized WORSE by {-Gain:F2} points") : "tie";
        string spread = double.IsFinite(StandardError) && Seeds >= 2 ? string.Create(inv, $"± {StandardError:F2} standard error, {Seeds} seeds") : $"{Seeds} seed";
        string clear = Seeds >= 2 && double.IsFinite(StandardError) && Math.Abs(Gain) <= 2 * StandardError ? "; within two standard errors of no difference" : "";
        return string.Create(inv, $"{name} {Downsampling}×: Linearized {Linearized:F2} % vs Bilinear {Bilinear:F2} % — {verdict} ({spread}){clear}.");
    }

    private static List<double> Errors(IReadOnlyList<CellResult> results, SpatialArchitecture architecture, SamplingMode sampler, int factor,
        Func<CellResult, double> error) =>
        results.Where(r => r.Variant.Architecture == architecture && r.Variant.Sampler == sampler && r.Downsampling == factor).Select(error).ToList();

    private static double Variance(List<double> values)
    {
        if (values.Count < 2)
            return double.NaN;
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
