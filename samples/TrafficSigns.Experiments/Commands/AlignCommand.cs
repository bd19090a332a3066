using TrafficSigns.Cli;
using TrafficSigns.Experiments.Alignment;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ml.Transforms.Alignment;
using Ml.Transforms.Devices;
using Ml.Transforms.Imaging;
using Ml.Transforms.Sampling;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Spectre.Console;
using TrafficSigns.Experiments.GtsrbTable;

namespace TrafficSigns.Experiments.Commands;

/// <summary>
/// The paper's image-alignment experiment on a photograph (<see cref="AlignmentRecall"/>): how often gradient descent
/// through each sampler recovers a random homography perturbation of a crop, per perturbation strength and downsampling
/// factor. Writes align.md (recall tables), align.csv (every cell) and align.png (recall against strength, one panel per factor).
/// </summary>
internal sealed class AlignCommand : Command<AlignSettings>
{
    public override int Execute(CommandContext context, AlignSettings options, CancellationToken cancellation)
    {
        if (NumericsRestart.RunCheckAndMaybeRestart(CommandLine.Arguments) is int restartedExitCode)
            return restartedExitCode;
        var imagePath = options.Image;
        var outputDir = options.Output;
        var settings = new AlignmentRecallOptions
        {
            Strengths = options.Strengths,
            Trials = options.Trials,
            Steps = options.Steps,
            Downsamplings = options.Downsamplings,
            Samplers = options.Samplers,
            CropSize = options.CropSize,
            SuccessThreshold = options.Threshold,
            Seed = options.Seed,
        };
        settings.Validate();
        int threads = options.Threads;
        var device = options.Device;

        var clock = Stopwatch.StartNew();
        using var photo = ImageTensors.Load(imagePath, device);
        int cells = settings.Strengths.Count * settings.Downsamplings.Count * settings.Samplers.Count;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Alignment recall on {Path.GetFileName(imagePath)} ({photo.shape[3]}×{photo.shape[2]}, {photo.device}): {settings.Strengths.Count} strength(s) × {settings.Downsamplings.Count} factor(s) × {settings.Samplers.Count} sampler(s) = {cells} cells, {settings.Trials} trials × {settings.Steps} steps each; libtorch threads {(threads > 0 ? threads : TorchSharp.torch.get_num_threads())}.")));

        AlignmentRecallResult result;
        using (TorchThreads.Use(threads))
            result = AlignmentRecall.Run(photo, settings, row => AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  σ {row.Strength:0.###} {row.Downsampling}× ({row.OutputSize} px) {row.Sampler,-11} recall {row.Recall:0.00} (start {row.InitialRecall:0.00}), mean corner error {row.MeanCornerError:0.00} px"))), cancellation);

        AtomicFile.WriteAllText(Path.Combine(outputDir, "align.md"), Markdown(imagePath, photo.shape, settings, result));
        AtomicFile.WriteAllText(Path.Combine(outputDir, "align.csv"), Csv(result));
        Chart(settings, result, Path.Combine(outputDir, "align.png"));
        AnsiConsole.WriteLine(result.FormatTable());
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(outputDir))}: align.md, align.csv, align.png ({clock.Elapsed.TotalSeconds:F0} s).");
        return 0;
    }

    private static string Markdown(string imagePath, long[] shape, AlignmentRecallOptions s, AlignmentRecallResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"# Alignment recall — {Path.GetFileName(imagePath)} ({shape[3]}×{shape[2]})\n\n");
        text.Append(inv, $"- Protocol: the central {s.CropScale:0.##} crop rendered at {s.CropSize}×{s.CropSize}; per strength σ, {s.Trials} random homography perturbations ")
            .Append("(each corner and the shared translation N(0, σ²) in crop units); per factor f the photo is aligned to the perturbed reference at ")
            .Append(inv, $"output size {s.CropSize}/f by {s.Steps} {s.Optimizer} steps (lr {s.LearningRate}, cosine decay) through each sampler; every sampler and factor sees the same perturbations (seed {s.Seed}).\n");
        text.Append(inv, $"- Cell: **recall** = fraction of trials whose mean corner error is below {result.SuccessThreshold:0.##} output pixel, then (mean corner error, output px). ")
            .Append("The *start* line is the recall and error before any step (the identity): read recall against it.\n");
        text.Append(inv, $"- Run time: {result.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} core(s).\n\n");

        var factors = s.Downsamplings;
        foreach (var strength in s.Strengths)
        {
            text.Append(inv, $"## σ = {strength:0.###}\n\n| sampler | ").Append(string.Join(" | ", factors.Select(f => $"{f}× ({Row(result, strength, s.Samplers[0], f).OutputSize} px)")))
                .Append(" |\n|---|").Append(string.Concat(factors.Select(_ => "---:|"))).Append("\n| *start* | ")
                .Append(string.Join(" | ", factors.Select(f => { var r = Row(result, strength, s.Samplers[0], f); return string.Create(inv, $"{r.InitialRecall:0.00} ({r.MeanInitialCornerError:0.00})"); })))
                .Append(" |\n");
            foreach (var sampler in s.Samplers)
                text.Append("| ").Append(sampler).Append(" | ").Append(string.Join(" | ", factors.Select(f =>
                {
                    var r = Row(result, strength, sampler, f);
                    return string.Create(inv, $"{r.Recall:0.00} ({r.MeanCornerError:0.00})") + (r.Diverged > 0 ? $" ({r.Diverged} diverged)" : "");
                }))).Append(" |\n");
            text.Append('\n');
        }
        if (s.Strengths.Count > 1)
        {
            text.Append("## Recall averaged over the strengths\n\n| sampler | ").Append(string.Join(" | ", factors.Select(f => $"{f}×")))
                .Append(" |\n|---|").Append(string.Concat(factors.Select(_ => "---:|"))).Append('\n');
            foreach (var sampler in s.Samplers)
                text.Append("| ").Append(sampler).Append(" | ")
                    .Append(string.Join(" | ", factors.Select(f => s.Strengths.Average(st => Row(result, st, sampler, f).Recall).ToString("0.00", inv)))).Append(" |\n");
            text.Append('\n');
        }
        text.Append("Files: align.csv (every cell), align.png (recall against σ, one panel per downsampling factor; dashed: start).\n");
        return text.ToString();
    }

    private static AlignmentRecallRow Row(AlignmentRecallResult result, double strength, SamplingMode sampler, int factor) => result.Row(strength, sampler, factor);

    private static string Csv(AlignmentRecallResult result)
    {
        var text = new StringBuilder("strength,sampler,downsampling,output_size,trials,successes,recall,mean_corner_error,median_corner_error,initial_successes,initial_recall,mean_initial_corner_error,diverged\n");
        foreach (var r in result.Rows)
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Strength:R},{r.Sampler},{r.Downsampling},{r.OutputSize},{r.Trials},{r.Successes},{r.Recall:R},{r.MeanCornerError:R},{r.MedianCornerError:R},{r.InitialSuccesses},{r.InitialRecall:R},{r.MeanInitialCornerError:R},{r.Diverged}\n");
        return text.ToString();
    }

    private static void Chart(AlignmentRecallOptions s, AlignmentRecallResult result, string path)
    {
        var colors = new Dictionary<SamplingMode, OxyColor>
        {
            [SamplingMode.Bilinear] = OxyColors.SteelBlue,
            [SamplingMode.MultiScale] = OxyColors.DarkOrange,
            [SamplingMode.Linearized] = OxyColors.ForestGreen,
            [SamplingMode.Bicubic] = OxyColors.Purple,
        };
        double maxStrength = s.Strengths.Max(), pad = Math.Max(0.01, 0.05 * maxStrength);
        var panels = new List<PlotModel>();
        foreach (int factor in s.Downsamplings)
        {
            int outputSize = Row(result, s.Strengths[0], s.Samplers[0], factor).OutputSize;
            var model = new PlotModel { Title = $"{factor}× downsampling ({outputSize}×{outputSize} px)", Background = OxyColors.White };
            model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomCenter, LegendPlacement = LegendPlacement.Outside, LegendOrientation = LegendOrientation.Horizontal });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "perturbation strength σ (crop units)", Minimum = Math.Max(0, s.Strengths.Min() - pad), Maximum = maxStrength + pad });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "recall", Minimum = -0.02, Maximum = 1.02 });
            foreach (var sampler in s.Samplers)
            {
                var series = new LineSeries { Title = sampler.ToString(), MarkerType = MarkerType.Circle, Color = colors.GetValueOrDefault(sampler, OxyColors.Black) };
                series.Points.AddRange(s.Strengths.Select(st => new DataPoint(st, Row(result, st, sampler, factor).Recall)));
                model.Series.Add(series);
            }
            var start = new LineSeries { Title = "start (no alignment)", LineStyle = LineStyle.Dash, Color = OxyColors.Gray, MarkerType = MarkerType.Square };
            start.Points.AddRange(s.Strengths.Select(st => new DataPoint(st, Row(result, st, s.Samplers[0], factor).InitialRecall)));
            model.Series.Add(start);
            panels.Add(model);
        }
        ChartPanels.Save(panels, path, 640, 470, columns: panels.Count <= 2 ? panels.Count : 2);
    }
}
