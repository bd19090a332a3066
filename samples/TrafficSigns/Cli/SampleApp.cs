using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Commands;

namespace TrafficSigns.Cli;

/// <summary>
/// The sample's command line on Spectre.Console.Cli: one command class and one settings class per command, per-command
/// <c>--help</c>, unknown or misspelled options refused with a suggestion (<see cref="OptionCheck"/>), and every value
/// checked by its settings class before the command does any work. Exit codes: 0 done, 1 the work failed (the message
/// says why), 2 the command line is wrong, 130 cancelled.
/// </summary>
internal static class SampleApp
{
    /// <summary>The command line as the process got it (a command that restarts the process passes it on).</summary>
    public static IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <summary>Each command and its settings class.</summary>
    internal static readonly IReadOnlyDictionary<string, Type> Settings = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["train"] = typeof(TrainSettings),
        ["score"] = typeof(ScoreSettings),
        ["export"] = typeof(ExportSettings),
        ["gradient-field"] = typeof(PhotoSettings),
        ["table"] = typeof(TableSettings),
        ["align"] = typeof(AlignSettings),
        ["rectify"] = typeof(RectifySettings),
    };

    public static int Run(string[] args, CancellationToken cancellation)
    {
        Arguments = args;
        // No command, or options first: the default command, train.
        string[] arguments = args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version")) ? ["train", .. args] : args;
        if (arguments[0] == "help")
            arguments = ["--help"];
        if (OptionCheck.Problem(arguments, Settings) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("TrafficSigns");
            config.UseStrictParsing();
            config.PropagateExceptions();
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train, evaluate, save and reload a spatial-transformer classifier: on your own images (--images, one subfolder per label) or on traffic signs (the default).")
                .WithExample("train", "--images", "photos")
                .WithExample("train", "--images", "photos", "--test-images", "photos-test")
                .WithExample("train");
            config.AddCommand<ScoreCommand>("score")
                .WithDescription("Score a folder with a saved model: loose images, or label subfolders for accuracy and a confusion matrix.")
                .WithExample("score", "--model", "output/model.zip", "--images", "new-photos");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Write a saved model's ONNX graph (model.onnx) and its description (model.json, model.md), for any ONNX Runtime host.")
                .WithExample("export", "--model", "output/model.zip", "--output", "exported");
            config.AddCommand<GradientFieldCommand>("gradient-field")
                .WithDescription("The paper's gradient-direction count on a photograph, per sampler and output size.");
            config.AddCommand<TableCommand>("table")
                .WithDescription("The paper's GTSRB table (Baseline, STN and IC-STN with each sampler, per downsampling factor).")
                .WithExample("table", "--protocol", "icstn", "--rows", "STN-Bilinear,STN-Linearized", "--downsampling", "8", "--seeds", "0,1,2")
                .WithExample("table", "--quick");
            config.AddCommand<AlignCommand>("align")
                .WithDescription("The paper's alignment-recall experiment on a photograph.");
            config.AddCommand<RectifyCommand>("rectify")
                .WithDescription("What a Bilinear and a Linearized STN see at strong downsampling, and how much each zooms.");
        });
        try
        {
            return app.Run(arguments, cancellation);
        }
        catch (CommandAppException e)
        {
            Console.Error.WriteLine($"{e.Message} Run 'TrafficSigns {(Settings.ContainsKey(arguments[0]) ? arguments[0] + " " : "")}--help' for the options.");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled; nothing half-written was left (files are written atomically).");
            return 130;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException or NotSupportedException)
        {
            for (Exception? inner = e; inner is not null; inner = inner.InnerException)
                Console.Error.WriteLine(inner == e ? inner.Message : "  caused by: " + inner.Message);
            return 1;
        }
    }
}
