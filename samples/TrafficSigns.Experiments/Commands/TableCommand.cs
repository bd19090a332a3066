using TrafficSigns.Cli;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.Cli;
using System.Diagnostics;
using System.Globalization;
using Ml.Trainers.Training;
using Ml.Transforms.Devices;
using Spectre.Console;
using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Download;
using TrafficSigns.Experiments.GtsrbTable;

namespace TrafficSigns.Experiments.Commands;

/// <summary>
/// The paper's GTSRB table with the plain TorchSharp engine (no ML.NET): rows Baseline, STN × {Bilinear, MultiScale,
/// Linearized}, IC-STN × {Bilinear, MultiScale, Linearized}; columns downsampling 1×, 2×, 4×, 8×; cells the test error
/// on held-out tracks, perturbed with seeded σ = 0.25 warps (the IC-STN paper's test protocol) and unperturbed; every
/// network trained with the same recipe (<see cref="TableRecipe"/>). Writes table.md (ours beside the paper's numbers,
/// and Linearized against Bilinear cell by cell), table.csv (one line per trained network) and table.png (error against
/// downsampling); the files are rewritten after every cell, so an interrupted run leaves the cells it finished.
/// <c>--protocol</c> chooses the framing (<see cref="TableProtocol"/>: whole-image, the default, or icstn) and
/// <c>--recipe</c> the training (<see cref="TableRecipe"/>: adam, the default, or sgd); both are named in every output.
/// </summary>
internal sealed class TableCommand : Command<TableSettings>
{
    public override int Execute(CommandContext context, TableSettings options, CancellationToken cancellation)
    {
        if (NumericsRestart.RunCheckAndMaybeRestart(CommandLine.Arguments) is int restartedExitCode)
            return restartedExitCode;
        bool quick = options.Quick;
        var outputDir = options.Output;
        int tracks = options.Tracks;
        int epochs = options.EpochsInUse;
        var seeds = options.Seeds;
        var factors = options.Factors;
        var rows = options.Rows;
        int splitSeed = options.SplitSeed;
        int threads = options.Threads;
        var device = options.Device;
        var protocol = options.Protocol;
        var recipe = options.Recipe;
        var source = DataSourceResolver.Resolve(new DataSourceOptions { DataFolder = options.Data });
        AnsiConsole.WriteLine(source.Message);
        var root = source.Root;
        var settings = recipe.Options(epochs, seeds[0], device);
        settings.Validate();

        var clock = Stopwatch.StartNew();
        using var torchThreads = TorchThreads.Use(threads);
        using var data = GtsrbSplitData.Load(root, tracks, splitSeed, protocol.ImageSize, protocol.UsesOfficialTestSet);
        AnsiConsole.MarkupLine($"Data: {Markup.Escape(data.Describe())} (loaded in {clock.Elapsed.TotalSeconds:F0} s).");
        AnsiConsole.MarkupLine($"Table: {rows.Count} rows × {factors.Count} factors × {seeds.Count} seed(s) = {rows.Count * factors.Count * seeds.Count} networks, " +
            $"{epochs} epoch(s) each{(quick ? " (--quick preset)" : "")}; protocol {protocol.Name}, recipe {recipe.Name}; libtorch threads {TorchSharp.torch.get_num_threads()}.");

        var results = new List<CellResult>();
        var run = new TableReport(root, data.Describe(), tracks, epochs, seeds, factors, rows, quick, clock, protocol, recipe, data.OfficialTestSet);
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
                            using var model = variant.Build(factor, data.ClassCount, seed, protocol, recipe);
                            var result = StnCell.Run(variant, model, data, recipe.Options(epochs, seed, device), p =>
                            {
                                task.Value = done * epochs + p.Epoch - 1 + (double)p.Batch / p.Batches;
                                task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                                    $"{cell}: epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} acc {p.Accuracy:P0} {p.ImagesPerSecond:F0} img/s"));
                            }, cancellation);
                            results.Add(result);
                            task.Value = results.Count * epochs;
                            string zoom = result.Zoom is { } z ? string.Create(CultureInfo.InvariantCulture, $", mean frame area {z.MeanArea:F3}") : "";
                            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                                $"  {variant.Name,-18} {factor}× seed {seed}: test error {100 * result.PerturbedTestError:F2} % perturbed, {100 * result.TestError:F2} % unperturbed (best epoch {result.BestEpoch}, {result.Elapsed.TotalSeconds:F0} s{zoom})")));
                            run.Write(outputDir, results, complete: results.Count == total);
                        }
            });

        AnsiConsole.Write(run.ConsoleTable(results));
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(outputDir))}: table.md, table.csv, table.png ({clock.Elapsed.TotalMinutes:F1} min).");
        return 0;
    }
}
