using System.Globalization;
using Ml.Trainers.Data;
using Spectre.Console;

namespace TrafficSigns.Data;

/// <summary>
/// Progress lines while a big image folder is read (<see cref="ImageFolderOptions.Progress"/>): nothing for the first
/// two seconds (a small folder prints nothing), then a line every five seconds with the files found or checked and the
/// rate, and the Ctrl+C hint. Plain lines, so that a log of a redirected run keeps them.
/// </summary>
internal sealed class ReadingProgress(string option)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2), Every = TimeSpan.FromSeconds(5);

    private readonly object gate = new();
    private TimeSpan? lastLine;
    private bool finished;

    public void Report(ImageFolderProgress p)
    {
        lock (gate)
        {
            bool done = p.Total is { } total && p.Files == total;
            bool due = lastLine is { } last ? p.Elapsed - last >= Every : p.Elapsed >= Quiet;
            // The end of the check gets one line, and only after earlier lines (else the summary line says it all).
            if (done ? lastLine is null || finished : !due)
                return;
            lastLine = p.Elapsed;
            finished = done;
            string text = p.Total is { } of
                ? string.Create(CultureInfo.InvariantCulture, $"{option}: checked {p.Files:N0} of {of:N0} image files ({p.FilesPerSecond:N0}/s, {p.Elapsed.TotalSeconds:F0} s)")
                : string.Create(CultureInfo.InvariantCulture, $"{option}: listing the folder, {p.Files:N0} image files so far ({p.Elapsed.TotalSeconds:F0} s)");
            AnsiConsole.MarkupLine(Markup.Escape(text) + (done ? "." : " [grey](Ctrl+C stops)[/]"));
        }
    }
}
