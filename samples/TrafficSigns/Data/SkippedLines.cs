using Spectre.Console;

namespace TrafficSigns.Data;

/// <summary>The console lines naming what was left out and why: the first ten, then how many more.</summary>
internal static class SkippedLines
{
    /// <summary>Prints "  skipped &lt;path&gt;: &lt;reason&gt;" for each of the first ten, then "skipped N more".</summary>
    public static void Print(IReadOnlyList<(string Path, string Reason)> skipped)
    {
        foreach (var (path, reason) in skipped.Take(10))
            AnsiConsole.MarkupLine($"  [yellow]skipped[/] {Markup.Escape(path)}: {Markup.Escape(reason)}");
        if (skipped.Count > 10)
            AnsiConsole.MarkupLine($"  [yellow]skipped[/] {skipped.Count - 10} more.");
    }
}
