using Spectre.Console;

namespace TrafficSigns.Experiments.Download;

/// <summary>A Spectre.Console progress bar per archive: size, speed and time left; then one per archive while unpacking.</summary>
internal sealed class ConsoleDownloadDisplay : IDownloadDisplay
{
    public T Show<T>(Func<Action<DownloadProgress>, T> download) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                return download(p =>
                {
                    if (!tasks.TryGetValue(p.Step, out var task))
                        tasks[p.Step] = task = context.AddTask(Markup.Escape(p.Step), maxValue: Math.Max(1, p.TotalBytes ?? 1));
                    task.IsIndeterminate = p.TotalBytes is null;
                    if (p.TotalBytes is { } total)
                        task.MaxValue = Math.Max(1, total);
                    task.Value = p.Bytes;
                });
            });
}
