using System.Diagnostics;
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

    public void Report(ImageFolderProgress p)
    {
        lock (gate)
        {
            bool done = p.Total is { } total && p.Files == total;
            if (p.Elapsed < Quiet || (lastLine is { } last && p.Elapsed - last < Every && !(done && last < p.Elapsed)))
                return;
            if (done && lastLine is null)
                return;   // checked before any line was due: the summary line says it all
            lastLine = p.Elapsed;
            string text = p.Total is { } of
                ? string.Create(CultureInfo.InvariantCulture, $"{option}: checked {p.Files:N0} of {of:N0} image files ({p.FilesPerSecond:N0}/s, {p.Elapsed.TotalSeconds:F0} s)")
                : string.Create(CultureInfo.InvariantCulture, $"{option}: listing the folder, {p.Files:N0} image files so far ({p.Elapsed.TotalSeconds:F0} s)");
            AnsiConsole.MarkupLine(Markup.Escape(text) + (done ? "." : " [grey](Ctrl+C stops)[/]"));
        }
    }
}
