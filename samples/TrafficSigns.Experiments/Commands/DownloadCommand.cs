using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.Cli;
using TrafficSigns.Experiments.Download;

namespace TrafficSigns.Experiments.Commands;

/// <summary>
/// Brings the official GTSRB (training set, test set and its labels) into the per-user cache with a progress bar: MD5
/// checks, resumed partial downloads, atomic unpacking (<see cref="GtsrbDownloader"/>). Afterwards table and rectify use
/// it when run without --data. A download that fails says why, keeps what it received for the next run, and exits 1.
/// </summary>
internal sealed class DownloadCommand : Command<DownloadSettings>
{
    public override int Execute(CommandContext context, DownloadSettings options, CancellationToken cancellation)
    {
        var download = options.Download;
        var cache = new GtsrbCache(download.CacheFolder);
        string folder;
        if (cache.IsComplete)
            folder = cache.DataFolder;
        else
        {
            AnsiConsole.MarkupLine($"Downloading the official GTSRB from {Markup.Escape(download.BaseUrl.ToString())} into {Markup.Escape(cache.Folder)}…");
            try
            {
                folder = new ConsoleDownloadDisplay().Show(progress => GtsrbDownloader.EnsureAsync(download, progress, cancellation).GetAwaiter().GetResult());
            }
            catch (HttpRequestException e)
            {
                throw new IOException($"The GTSRB download failed: {e.Message}", e);
            }
        }
        AnsiConsole.MarkupLine($"GTSRB (official training and test sets) is in [bold]{Markup.Escape(folder)}[/]. " +
            $"table and rectify use it when run without --data{(options.Cache is null ? "" : $" (with another cache, pass --data {Markup.Escape(folder)})")}.");
        return 0;
    }
}
