using System.Text.RegularExpressions;

namespace MlLinearized.Docs.Tests;

/// <summary>
/// Finds the C# code blocks (fences tagged <c>csharp</c>, <c>cs</c> or <c>c#</c>) of a Markdown page. A block may
/// declare its inputs on the line above its fence: <c>&lt;!-- snippet-givens: Tensor image; Func&lt;Tensor, Tensor&gt; loss --&gt;</c>
/// (declarations separated by ';'). A block may also continue the one before it on the same page
/// (<c>&lt;!-- snippet-continues --&gt;</c>): then the two are compiled as one program, as a reader who copies both would.
/// </summary>
internal static partial class MarkdownSnippets
{
    [GeneratedRegex(@"^\s*(```+|~~~+)\s*([^\s`]*)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!--\s*snippet-givens:(?<givens>.*?)-->\s*$")]
    private static partial Regex GivensComment();

    [GeneratedRegex(@"^\s*<!--\s*snippet-continues\s*-->\s*$")]
    private static partial Regex ContinuesComment();

    private static readonly HashSet<string> CSharpTags = new(StringComparer.OrdinalIgnoreCase) { "csharp", "cs", "c#" };

    /// <summary>The C# blocks of <paramref name="markdown"/>, in order; <paramref name="file"/> names the page in results.</summary>
    /// <exception cref="FormatException">A fence is opened and never closed (the rest of the page would be code).</exception>
    public static IReadOnlyList<DocSnippet> Read(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var snippets = new List<DocSnippet>();
        for (int i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
                continue;
            string marker = open.Groups[1].Value;
            int close = i + 1;
            while (close < lines.Length && !IsClosingFence(lines[close], marker))
                close++;
            if (close == lines.Length)
                throw new FormatException($"{file}:{i + 1}: the code fence '{marker}' is never closed.");
            if (CSharpTags.Contains(open.Groups[2].Value))
            {
                var code = string.Join('\n', lines[(i + 1)..close]);
                var (givens, continues) = Annotations(lines, i);
                if (continues)
                {
                    if (snippets.Count == 0)
                        throw new FormatException($"{file}:{i + 1}: 'snippet-continues' on the first C# block of the page; there is nothing to continue.");
                    var previous = snippets[^1];
                    snippets[^1] = previous with { Code = previous.Code + "\n" + code, Givens = [.. previous.Givens, .. givens] };
                }
                else
                {
                    snippets.Add(new DocSnippet(file, i + 2, code, givens));
                }
            }
            i = close;
        }
        return snippets;
    }

    private static bool IsClosingFence(string line, string marker)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= marker.Length && trimmed.All(c => c == marker[0]);
    }

    /// <summary>The annotation comments directly above the fence at <paramref name="fenceLine"/> (blank lines allowed between).</summary>
    private static (IReadOnlyList<string> Givens, bool Continues) Annotations(string[] lines, int fenceLine)
    {
        var givens = new List<string>();
        bool continues = false;
        for (int j = fenceLine - 1; j >= 0; j--)
        {
            if (string.IsNullOrWhiteSpace(lines[j]))
                continue;
            var g = GivensComment().Match(lines[j]);
            if (g.Success)
            {
                givens.InsertRange(0, g.Groups["givens"].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                continue;
            }
            if (ContinuesComment().IsMatch(lines[j]))
            {
                continues = true;
                continue;
            }
            break;
        }
        return (givens, continues);
    }
}
