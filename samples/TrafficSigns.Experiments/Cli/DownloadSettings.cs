using TrafficSigns.Cli;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.Download;

namespace TrafficSigns.Experiments.Cli;

/// <summary>The download command's options: where the archives come from and where they go.</summary>
internal sealed class DownloadSettings : CommandSettings
{
    [CommandOption("--cache <DIR>")]
    [Description("Where the downloaded GTSRB is kept. Default ~/.cache/mllinearized/gtsrb (%LOCALAPPDATA% on Windows).")]
    public string? Cache { get; init; }

    [CommandOption("--download-url <URL>")]
    [Description("The http(s) base URL of the GTSRB archives. Default the benchmark's public archive.")]
    public string? DownloadUrl { get; init; }

    /// <summary>--cache and --download-url as the downloader takes them.</summary>
    public GtsrbDownloadOptions Download => DataSourceOptions.From(null, Cache, DownloadUrl).Download;

    public override ValidationResult Validate() => OptionValues.Checked(() => _ = Download);
}
