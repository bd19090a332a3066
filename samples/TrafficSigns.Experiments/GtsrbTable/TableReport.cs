using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Spectre.Console;
using TrafficSigns.Reporting;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>Formats and writes the outputs of one `table` run: table.md, table.csv, table.png.</summary>
internal sealed record TableReport(string Root, string DataDescription, int Tracks, int Epochs, IReadOnlyList<int> Seeds, IReadOnlyList<int> Factors,
    IReadOnlyList<StnVariant> Rows, bool Quick, Stopwatch Clock, TableProtocol Protocol, TableRecipe Recipe, bool OfficialTestSet)
{
    public void Write(string outputDir, IReadOnlyList<CellResult> results, bool complete)
    {
        AtomicFile.WriteAllText(Path.Combine(outputDir, "table.md"), Markdown(results, complete));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "table.csv"), Csv(results));
        Chart(results, Path.Combine(outputDir, "table.png"));
    }

    /// <summary>The perturbed test error in % (the paper's protocol).</summary>
    public static double Perturbed(CellResult r) => 100 * r.PerturbedTestError;

    /// <summary>The unperturbed test error in %.</summary>
    public static double Unperturbed(CellResult r) => 100 * r.TestError;

    /// <summary>"mean" or "mean ± std" (sample std over seeds) of an error in %, "…" before the cell ran.</summary>
    private string Cell(IReadOnlyList<CellResult> results, StnVariant variant, int factor, Func<CellResult, double> error)
    {
        var errors = results.Where(r => r.Variant == variant && r.Downsampling == factor).Select(error).ToList();
        if (errors.Count == 0)
            return "…";
        double mean = errors.Average();
        if (Seeds.Count < 2)
            return mean.ToString("F2", CultureInfo.InvariantCulture);
        double std = errors.Count < 2 ? double.NaN : Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Count - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean:F2} ± {std:F2}") + (errors.Count < Seeds.Count ? $" ({errors.Count}/{Seeds.Count} seeds)" : "");
    }

    /// <summary>The paper's GTSRB test error (%) at 1×, 2×, 4×, 8× (Jiang et al., ICCV 2019); no MultiScale rows there.</summary>
    private static readonly Dictionary<string, double[]> Paper = new(StringComparer.Ordinal)
    {
        ["Baseline"] = [12.37, 12.88, 20.85, 45.88],
        ["STN-Bilinear"] = [6.29, 6.50, 7.95, 15.31],
        ["STN-Linearized"] = [6.08, 6.48, 7.13, 10.89],
        ["IC-STN-Bilinear"] = [5.68, 5.00, 6.52, 9.80],
        ["IC-STN-Linearized"] = [4.85, 4.68, 4.86, 6.10],
    };

    private static readonly int[] PaperFactors = [1, 2, 4, 8];

    private string Header(int factor) => Protocol == TableProtocol.WholeImage
        ? $"{factor}× ({32 / factor}×{32 / factor})"
        : $"{factor}× ({Protocol.OutputSize(factor)}×{Protocol.OutputSize(factor)})";

    private string TestName => OfficialTestSet ? "official test set" : "test tracks";

    private void AppendTable(StringBuilder text, string title, IReadOnlyList<CellResult> results, Func<CellResult, double> error)
    {
        text.Append("## ").Append(title).Append("\n\n| network | ").Append(string.Join(" | ", Factors.Select(Header))).Append(" |\n|---|")
            .Append(string.Concat(Factors.Select(_ => "---:|"))).Append('\n');
        foreach (var variant in Rows)
            text.Append("| ").Append(variant.Name).Append(" | ").Append(string.Join(" | ", Factors.Select(f => Cell(results, variant, f, error)))).Append(" |\n");
        text.Append('\n');
    }

    public string Markdown(IReadOnlyList<CellResult> results, bool complete)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"# GTSRB test error (%) by downsampling — protocol {Protocol.Name}, recipe {Recipe.Name}{(complete ? "" : " (PARTIAL: run in progress or interrupted)")}\n\n");
        text.Append(inv, $"- Protocol: {Protocol.Describe()}.\n");
        text.Append(inv, $"- Data: {DataDescription}.\n");
        text.Append(inv, $"- Training, the same for every network: {Recipe.Describe(Epochs)}{(Quick ? " (--quick preset)" : "")}; ")
            .Append("every training image warped by a fresh random homography perturbation σ = 0.25 (corners and translation, in the network's frame); ")
            .Append("the weights of the epoch with the best accuracy on the validation tracks (perturbed the same way, fixed seed) are kept.\n");
        text.Append(OfficialTestSet ? "- Test: the official GTSRB test set, **perturbed**" : "- Test: the held-out tracks, **perturbed**")
            .Append(" (each image warped by a seeded σ = 0.25 perturbation, the same warps for every network of a seed, ")
            .Append("as the IC-STN paper does for its test set; the Baseline sees the perturbed image downsampled through the identity warp) and **unperturbed**. Cells: test error %")
            .Append(Seeds.Count >= 2 ? $", mean ± sample std over seeds {string.Join(", ", Seeds)} (weight init, shuffling, perturbations, sampler noise and test warps vary; the split does not).\n" : $", seed {Seeds[0]}.\n");
        text.Append(inv, $"- Networks: homography warps; IC-STN 4 recurrent steps; images standardized per image; sampler used while training (eval samples bilinearly for Linearized).\n");
        text.Append(inv, $"- Run time{(complete ? "" : " so far")}: {Clock.Elapsed.TotalMinutes:F1} min for {results.Count} network(s) on {Environment.ProcessorCount} core(s), {TorchSharp.torch.get_num_threads()} libtorch thread(s).\n\n");

        AppendTable(text, $"Ours, perturbed {TestName} (the paper's protocol)", results, Perturbed);
        AppendTable(text, $"Ours, unperturbed {TestName}", results, Unperturbed);
        text.Append("| *classifier parameters* | ").Append(string.Join(" | ", Factors.Select(f => ClassifierParameters(results, f)))).Append(" |\n\n");

        text.Append("## The paper's (Jiang et al., ICCV 2019: GTSRB test error %; the paper has no MultiScale rows)\n\n| network | ")
            .Append(string.Join(" | ", Factors.Select(Header))).Append(" |\n|---|").Append(string.Concat(Factors.Select(_ => "---:|"))).Append('\n');
        foreach (var variant in Rows)
            text.Append("| ").Append(variant.Name).Append(" | ").Append(string.Join(" | ", Factors.Select(f =>
                Paper.TryGetValue(variant.Name, out var row) && Array.IndexOf(PaperFactors, f) is >= 0 and var i ? row[i].ToString("F2", inv) : "—"))).Append(" |\n");

        AppendZoom(text, results);
        text.Append("\n## The claim: Linearized against Bilinear, cell by cell\n\n");
        foreach (var (title, error) in new (string, Func<CellResult, double>)[] { ("perturbed", Perturbed), ("unperturbed", Unperturbed) })
        {
            var claims = ClaimComparison.From(results, error);
            if (claims.Count == 0)
                continue;
            text.Append(inv, $"{(OfficialTestSet ? "Official test set" : "Test tracks")} {title}:\n\n");
            foreach (var claim in claims)
                text.Append("- ").Append(claim.Describe()).Append('\n');
            text.Append('\n');
        }

        text.Append("## Per network\n\n| network | factor | seed | test error % (perturbed) | test error % (unperturbed) | test loss (perturbed) | best epoch | validation accuracy | frame area (mean ± std) | classifier / all parameters | time (s) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in results)
            text.Append(inv, $"| {r.Variant.Name} | {r.Downsampling}× | {r.Seed} | {100 * r.PerturbedTestError:F2} | {100 * r.TestError:F2} | {r.TestLoss:F3} | {r.BestEpoch} | ")
                .Append(r.BestValidationAccuracy is { } v ? v.ToString("P2", inv) : "—")
                .Append(r.Zoom is { } z ? string.Create(inv, $" | {z.MeanArea:F3} ± {z.AreaSpread:F3}") : " | —")
                .Append(inv, $" | {r.ClassifierParameters:N0} / {r.Parameters:N0} | {r.Elapsed.TotalSeconds:F0} |\n");
        text.Append("\nFiles: table.csv (one line per network, with its epoch history), table.png (test error against downsampling).\n");
        return text.ToString();
    }

    /// <summary>
    /// The poster's observation, measured: the mean area of the region the learned warp samples (the quadrilateral of
    /// the output's corners) as a fraction of the network's frame, on the unperturbed test images — below 1 = zoomed in.
    /// </summary>
    private void AppendZoom(StringBuilder text, IReadOnlyList<CellResult> results)
    {
        var rows = Rows.Where(v => v.Architecture != SpatialArchitecture.None && results.Any(r => r.Variant == v)).ToList();
        if (rows.Count == 0)
            return;
        text.Append("## Zoom: mean area of the sampled region, fraction of the frame (unperturbed test images; mean over seeds, then the mean per-image spread)\n\n| network | ")
            .Append(string.Join(" | ", Factors.Select(Header))).Append(" |\n|---|").Append(string.Concat(Factors.Select(_ => "---:|"))).Append('\n');
        foreach (var variant in rows)
            text.Append("| ").Append(variant.Name).Append(" | ").Append(string.Join(" | ", Factors.Select(f =>
            {
                var zooms = results.Where(r => r.Variant == variant && r.Downsampling == f && r.Zoom is not null).Select(r => r.Zoom!).ToList();
                return zooms.Count == 0 ? "…" : string.Create(CultureInfo.InvariantCulture, $"{zooms.Average(z => z.MeanArea):F3} (± {zooms.Average(z => z.AreaSpread):F3})");
            }))).Append(" |\n");
        text.Append('\n');
    }

    private static string ClassifierParameters(IReadOnlyList<CellResult> results, int factor) =>
        results.FirstOrDefault(r => r.Downsampling == factor) is { } r ? r.ClassifierParameters.ToString("N0", CultureInfo.InvariantCulture) : "…";

    public static string Csv(IReadOnlyList<CellResult> results)
    {
        var text = new StringBuilder("network,architecture,sampler,downsampling,seed,perturbed_test_error,test_error,perturbed_test_loss,best_epoch,best_validation_accuracy,classifier_parameters,parameters,seconds,frame_area_mean,frame_area_std,epoch_validation_accuracies\n");
        foreach (var r in results)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Variant.Name},{r.Variant.Architecture},{(r.Variant.Architecture == SpatialArchitecture.None ? "" : r.Variant.Sampler)},{r.Downsampling},{r.Seed},{r.PerturbedTestError:R},{r.TestError:R},{r.TestLoss:R},{r.BestEpoch},{r.BestValidationAccuracy?.ToString("R", CultureInfo.InvariantCulture)},{r.ClassifierParameters},{r.Parameters},{r.Elapsed.TotalSeconds:F1},{r.Zoom?.MeanArea.ToString("R", CultureInfo.InvariantCulture)},{r.Zoom?.AreaSpread.ToString("R", CultureInfo.InvariantCulture)},")
                .Append(string.Join(';', r.History.Select(m => m.ValidationAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? ""))).Append('\n');
        return text.ToString();
    }

    private void Chart(IReadOnlyList<CellResult> results, string path)
    {
        var model = new PlotModel { Title = $"GTSRB test error (perturbed {TestName}; protocol {Protocol.Name}, recipe {Recipe.Name})", Background = OxyColors.White };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside });
        // x = log2(factor), labelled with the factor: 1×, 2×, 4×, 8× evenly spaced.
        double lo = Math.Log2(Factors.Min()), hi = Math.Log2(Factors.Max());
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = "downsampling factor (log scale)", Minimum = lo - 0.3, Maximum = hi + 0.3, MajorStep = 1, MinorStep = 1,
            LabelFormatter = x => Math.Pow(2, x).ToString("0.##", CultureInfo.InvariantCulture) + "×",
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "test error %", Minimum = 0, Maximum = 100, MajorStep = 10 });
        foreach (var variant in Rows)
        {
            var points = Factors.Select(f => (F: f, E: results.Where(r => r.Variant == variant && r.Downsampling == f).Select(Perturbed).ToList()))
                .Where(p => p.E.Count > 0).ToList();
            if (points.Count == 0)
                continue;
            var series = new LineSeries { Title = variant.Name };
            series.Points.AddRange(points.Select(p => new DataPoint(Math.Log2(p.F), p.E.Average())));
            // Colour = sampler, line = architecture (IC-STN solid, STN dashed, Baseline dotted grey).
            series.Color = variant.Architecture == SpatialArchitecture.None ? OxyColors.Gray
                : variant.Sampler switch { SamplingMode.Bilinear => OxyColors.SteelBlue, SamplingMode.MultiScale => OxyColors.DarkOrange, _ => OxyColors.ForestGreen };
            series.LineStyle = variant.Architecture switch { SpatialArchitecture.None => LineStyle.Dot, SpatialArchitecture.Stn => LineStyle.Dash, _ => LineStyle.Solid };
            series.MarkerType = variant.Architecture == SpatialArchitecture.InverseCompositionalStn ? MarkerType.Circle : MarkerType.Square;
            model.Series.Add(series);
        }
        Charts.Save(model, path, 900, 560);
    }

    public Table ConsoleTable(IReadOnlyList<CellResult> results)
    {
        var table = new Table().Title($"test error % (perturbed / unperturbed {TestName}; protocol {Protocol.Name}, recipe {Recipe.Name})").AddColumn("network");
        foreach (int f in Factors)
            table.AddColumn(new TableColumn(Header(f)).RightAligned());
        foreach (var variant in Rows)
            table.AddRow([variant.Name, .. Factors.Select(f => Cell(results, variant, f, Perturbed) + " / " + Cell(results, variant, f, Unperturbed))]);
        table.AddRow(["classifier parameters", .. Factors.Select(f => ClassifierParameters(results, f))]);
        return table;
    }
}

