using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ml.Trainers.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Spectre.Console;
using TrafficSigns.Data;
using TrafficSigns.Experiments;
using TrafficSigns.Reporting;

namespace TrafficSigns.Commands;

/// <summary>
/// The paper's GTSRB table with the plain TorchSharp engine (no ML.NET): rows Baseline, STN × {Bilinear, MultiScale,
/// Linearized}, IC-STN × {Bilinear, MultiScale, Linearized}; columns downsampling 1×, 2×, 4×, 8×; cells the test error
/// on held-out tracks (perturbed with seeded σ = 0.25 warps, as the IC-STN paper's test set). Writes table.md (ours beside
/// the paper's numbers), table.csv (one line per trained network) and table.png (error against downsampling); the files
/// are rewritten after every cell, so an interrupted run leaves the cells it finished.
/// </summary>
internal static class TableCommand
{
    /// <summary>
    /// The --quick preset: every track, one epoch (281 SGD steps per network on the 28,109 training images). On the 2-core
    /// VM (one libtorch thread, load ≈ 3) one epoch of all 28 networks cost ≈ 26 ms per training image, 1× being two
    /// thirds of it, so the 7 × 4 table takes ≈ 12–15 min. At a fixed time the number of SGD steps is what limits, and
    /// one pass over all tracks spends them on the most distinct images (a few tracks for several epochs repeats them).
    /// </summary>
    private const int QuickTracks = 0, QuickEpochs = 1;

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

    public static int Run(CommandLine options, CancellationToken cancellation)
    {
        bool quick = OptionLists.Bool(options, "quick", false);
        var outputDir = options.Get("output", "output");
        int tracks = OptionLists.Positive(options, "tracks", quick ? QuickTracks : 0, min: 0);
        int epochs = OptionLists.Positive(options, "epochs", quick ? QuickEpochs : 10);
        var seeds = OptionLists.Ints(options, "seeds", "0", min: 0);
        var factors = OptionLists.Ints(options, "downsampling", "1,2,4,8", min: 1, max: 32);
        var rows = StnVariant.Parse(options.Get("rows", string.Join(",", StnVariant.All.Select(v => v.Name))));
        int splitSeed = OptionLists.Positive(options, "split-seed", 0, min: 0);
        int threads = OptionLists.Positive(options, "threads", 1, min: 0);
        var device = options.GetEnum("device", ComputeDevice.Auto);
        var root = TrafficSignData.Locate(options.Get("data", "") is { Length: > 0 } d ? d : null);

        var clock = Stopwatch.StartNew();
        using var torchThreads = TorchThreads.Use(threads);
        using var data = GtsrbSplitData.Load(root, tracks, splitSeed);
        var settings = StnCell.Options(epochs, seeds[0], device);
        settings.Validate();
        AnsiConsole.MarkupLine($"Data: {Markup.Escape(data.Describe())} (loaded in {clock.Elapsed.TotalSeconds:F0} s).");
        AnsiConsole.MarkupLine($"Table: {rows.Count} rows × {factors.Count} factors × {seeds.Count} seed(s) = {rows.Count * factors.Count * seeds.Count} networks, " +
            $"{epochs} epoch(s) each{(quick ? " (--quick preset)" : "")}; libtorch threads {TorchSharp.torch.get_num_threads()}.");

        var results = new List<CellResult>();
        var run = new TableRun(root, data.Describe(), tracks, epochs, seeds, factors, rows, quick, clock);
        int total = rows.Count * factors.Count * seeds.Count;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("table", maxValue: total * epochs);
                foreach (int factor in factors)
                    foreach (var variant in rows)
                        foreach (int seed in seeds)
                        {
                            int done = results.Count;
                            string cell = string.Create(CultureInfo.InvariantCulture, $"{done + 1}/{total} {variant.Name} {factor}× seed {seed}");
                            task.Description = Markup.Escape(cell);
                            using var model = variant.Build(factor, data.ClassCount, seed);
                            var result = StnCell.Run(variant, model, data, StnCell.Options(epochs, seed, device), p =>
                            {
                                task.Value = done * epochs + p.Epoch - 1 + (double)p.Batch / p.Batches;
                                task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                                    $"{cell}: epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} acc {p.Accuracy:P0} {p.ImagesPerSecond:F0} img/s"));
                            }, cancellation);
                            results.Add(result);
                            task.Value = results.Count * epochs;
                            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                                $"  {variant.Name,-18} {factor}× seed {seed}: test error {100 * result.TestError:F2} % (best epoch {result.BestEpoch}, {result.Elapsed.TotalSeconds:F0} s)")));
                            run.Write(outputDir, results, complete: results.Count == total);
                        }
            });

        AnsiConsole.Write(run.ConsoleTable(results));
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(outputDir))}: table.md, table.csv, table.png ({clock.Elapsed.TotalMinutes:F1} min).");
        return 0;
    }

    /// <summary>Formats and writes the outputs of one run.</summary>
    private sealed record TableRun(string Root, string DataDescription, int Tracks, int Epochs, IReadOnlyList<int> Seeds, IReadOnlyList<int> Factors,
        IReadOnlyList<StnVariant> Rows, bool Quick, Stopwatch Clock)
    {
        public void Write(string outputDir, IReadOnlyList<CellResult> results, bool complete)
        {
            AtomicFile.WriteAllText(Path.Combine(outputDir, "table.md"), Markdown(results, complete));
            AtomicFile.WriteAllText(Path.Combine(outputDir, "table.csv"), Csv(results));
            Chart(results, Path.Combine(outputDir, "table.png"));
        }

        /// <summary>"mean" or "mean ± std" (sample std over seeds) of the test error in %, "…" before the cell ran.</summary>
        private string Cell(IReadOnlyList<CellResult> results, StnVariant variant, int factor)
        {
            var errors = results.Where(r => r.Variant == variant && r.Downsampling == factor).Select(r => 100 * r.TestError).ToList();
            if (errors.Count == 0)
                return "…";
            double mean = errors.Average();
            if (Seeds.Count < 2)
                return mean.ToString("F2", CultureInfo.InvariantCulture);
            double std = errors.Count < 2 ? double.NaN : Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Count - 1));
            return string.Create(CultureInfo.InvariantCulture, $"{mean:F2} ± {std:F2}") + (errors.Count < Seeds.Count ? $" ({errors.Count}/{Seeds.Count} seeds)" : "");
        }

        private static string Header(int factor) => $"{factor}× ({32 / factor}×{32 / factor})";

        public string Markdown(IReadOnlyList<CellResult> results, bool complete)
        {
            var inv = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.Append(inv, $"# GTSRB test error (%) by downsampling — plain TorchSharp engine{(complete ? "" : " (PARTIAL: run in progress or interrupted)")}\n\n");
            text.Append(inv, $"- Data: {DataDescription}.\n");
            text.Append(inv, $"- Training: {Epochs} epoch(s){(Quick ? " (--quick preset)" : "")}, batch 100, SGD lr 0.03 for the classifier (predictor 1e-3 STN, 1e-4 IC-STN), momentum 0.9; ")
                .Append("every training image warped by a fresh random homography perturbation σ = 0.25 (corners and translation); ")
                .Append("the weights of the epoch with the best accuracy on the validation tracks (perturbed the same way, fixed seed) are kept.\n");
            text.Append("- **Test: the held-out tracks, each image warped by a seeded σ = 0.25 perturbation** (the same warps for every network of a seed), ")
                .Append("as the IC-STN paper does for its test set; the Baseline sees the perturbed image downsampled through the identity warp. Cells: test error %")
                .Append(Seeds.Count >= 2 ? $", mean ± sample std over seeds {string.Join(", ", Seeds)} (weight init, shuffling, perturbations, sampler noise and test warps vary; the split does not).\n" : $", seed {Seeds[0]}.\n");
            text.Append(inv, $"- Networks: homography warps; IC-STN 4 recurrent steps; images standardized per image; sampler used while training (eval samples bilinearly for Linearized).\n");
            text.Append(inv, $"- Run time{(complete ? "" : " so far")}: {Clock.Elapsed.TotalMinutes:F1} min for {results.Count} network(s) on {Environment.ProcessorCount} core(s), {TorchSharp.torch.get_num_threads()} libtorch thread(s).\n\n");

            text.Append("## Ours\n\n| network | ").Append(string.Join(" | ", Factors.Select(Header))).Append(" |\n|---|")
                .Append(string.Concat(Factors.Select(_ => "---:|"))).Append('\n');
            foreach (var variant in Rows)
                text.Append("| ").Append(variant.Name).Append(" | ").Append(string.Join(" | ", Factors.Select(f => Cell(results, variant, f)))).Append(" |\n");
            text.Append("| *classifier parameters* | ").Append(string.Join(" | ", Factors.Select(f => ClassifierParameters(results, f)))).Append(" |\n\n");

            text.Append("## The paper's (Jiang et al., ICCV 2019: GTSRB test error %; the paper has no MultiScale rows)\n\n| network | ")
                .Append(string.Join(" | ", Factors.Select(Header))).Append(" |\n|---|").Append(string.Concat(Factors.Select(_ => "---:|"))).Append('\n');
            foreach (var variant in Rows)
                text.Append("| ").Append(variant.Name).Append(" | ").Append(string.Join(" | ", Factors.Select(f =>
                    Paper.TryGetValue(variant.Name, out var row) && Array.IndexOf(PaperFactors, f) is >= 0 and var i ? row[i].ToString("F2", inv) : "—"))).Append(" |\n");

            text.Append("\n## Per network\n\n| network | factor | seed | test error % | test loss | best epoch | validation accuracy | classifier / all parameters | time (s) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var r in results)
                text.Append(inv, $"| {r.Variant.Name} | {r.Downsampling}× | {r.Seed} | {100 * r.TestError:F2} | {r.TestLoss:F3} | {r.BestEpoch} | ")
                    .Append(r.BestValidationAccuracy is { } v ? v.ToString("P2", inv) : "—")
                    .Append(inv, $" | {r.ClassifierParameters:N0} / {r.Parameters:N0} | {r.Elapsed.TotalSeconds:F0} |\n");
            text.Append("\nFiles: table.csv (one line per network, with its epoch history), table.png (test error against downsampling).\n");
            return text.ToString();
        }

        private static string ClassifierParameters(IReadOnlyList<CellResult> results, int factor) =>
            results.FirstOrDefault(r => r.Downsampling == factor) is { } r ? r.ClassifierParameters.ToString("N0", CultureInfo.InvariantCulture) : "…";

        public static string Csv(IReadOnlyList<CellResult> results)
        {
            var text = new StringBuilder("network,architecture,sampler,downsampling,seed,test_error,test_loss,best_epoch,best_validation_accuracy,classifier_parameters,parameters,seconds,epoch_validation_accuracies\n");
            foreach (var r in results)
                text.Append(CultureInfo.InvariantCulture,
                    $"{r.Variant.Name},{r.Variant.Architecture},{(r.Variant.Architecture == SpatialArchitecture.None ? "" : r.Variant.Sampler)},{r.Downsampling},{r.Seed},{r.TestError:R},{r.TestLoss:R},{r.BestEpoch},{r.BestValidationAccuracy?.ToString("R", CultureInfo.InvariantCulture)},{r.ClassifierParameters},{r.Parameters},{r.Elapsed.TotalSeconds:F1},")
                    .Append(string.Join(';', r.History.Select(m => m.ValidationAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? ""))).Append('\n');
            return text.ToString();
        }

        private void Chart(IReadOnlyList<CellResult> results, string path)
        {
            var model = new PlotModel { Title = "GTSRB test error (perturbed test tracks)", Background = OxyColors.White };
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
                var points = Factors.Select(f => (F: f, E: results.Where(r => r.Variant == variant && r.Downsampling == f).Select(r => 100 * r.TestError).ToList()))
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
            var table = new Table().Title("test error % (perturbed test tracks)").AddColumn("network");
            foreach (int f in Factors)
                table.AddColumn(new TableColumn(Header(f)).RightAligned());
            foreach (var variant in Rows)
                table.AddRow([variant.Name, .. Factors.Select(f => Cell(results, variant, f))]);
            table.AddRow(["classifier parameters", .. Factors.Select(f => ClassifierParameters(results, f))]);
            return table;
        }
    }
}
