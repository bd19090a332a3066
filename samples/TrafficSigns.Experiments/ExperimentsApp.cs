using Spectre.Console.Cli;
using TrafficSigns.Cli;
using TrafficSigns.Experiments.Cli;
using TrafficSigns.Experiments.Commands;

namespace TrafficSigns.Experiments;

/// <summary>
/// The experiments' command line (Spectre.Console.Cli, run by the app's <see cref="CommandLine"/>: the same help,
/// option checks and exit codes): table, gradient-field, align, rectify; download (the official GTSRB archives) and
/// kaggle-subset (how the built-in subset was made).
/// </summary>
internal static class ExperimentsApp
{
    /// <summary>The program's name in help and messages.</summary>
    public const string Name = "TrafficSigns.Experiments";

    /// <summary>Each command and its settings class.</summary>
    internal static readonly IReadOnlyDictionary<string, Type> Settings = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["table"] = typeof(TableSettings),
        ["gradient-field"] = typeof(PhotoSettings),
        ["align"] = typeof(AlignSettings),
        ["rectify"] = typeof(RectifySettings),
        ["download"] = typeof(DownloadSettings),
        ["kaggle-subset"] = typeof(KaggleSubsetSettings),
    };

    public static int Run(string[] args, CancellationToken cancellation) => CommandLine.Run(Name, Settings, defaultCommand: null, config =>
    {
        config.AddCommand<TableCommand>("table")
            .WithDescription("The paper's GTSRB table (Baseline, STN and IC-STN with each sampler, per downsampling factor).")
            .WithExample("table", "--protocol", "icstn", "--rows", "STN-Bilinear,STN-Linearized", "--downsampling", "8", "--seeds", "0,1,2")
            .WithExample("table", "--quick");
        config.AddCommand<GradientFieldCommand>("gradient-field")
            .WithDescription("The paper's gradient-direction count on a photograph, per sampler and output size.");
        config.AddCommand<AlignCommand>("align")
            .WithDescription("The paper's alignment-recall experiment on a photograph.");
        config.AddCommand<RectifyCommand>("rectify")
            .WithDescription("What a Bilinear and a Linearized STN see at strong downsampling, and how much each zooms.");
        config.AddCommand<DownloadCommand>("download")
            .WithDescription("Download the official GTSRB archives (training and test sets, 39,209 + 12,630 images) into a per-user cache, checked and unpacked; table and rectify then use them.")
            .WithExample("download")
            .WithExample("download", "--cache", "/data/gtsrb-cache");
        config.AddCommand<KaggleSubsetCommand>("kaggle-subset")
            .WithDescription("Write a small GTSRB subset in the Kaggle layout (PNG, Train/ and a held-out Test/ by whole tracks) from the official layout: how data/gtsrb-subset was made.")
            .WithExample("kaggle-subset", "--data", "../shared/data/gtsrb", "--frames", "7,22", "--output", "gtsrb-small");
    }, args, cancellation);
}
