namespace MlLinearized.Docs.Tests;

/// <summary>
/// One C# code block of a Markdown page, as a reader copies it: <paramref name="Code"/> is the block's text,
/// <paramref name="Givens"/> the declarations of the inputs it uses without declaring them (from a
/// <c>&lt;!-- snippet-givens: Tensor image; IDataView train --&gt;</c> comment on the line above the fence; hidden when
/// the page is rendered), <paramref name="Line"/> the 1-based line of the block's first code line in <paramref name="File"/>.
/// </summary>
public sealed record DocSnippet(string File, int Line, string Code, IReadOnlyList<string> Givens)
{
    /// <summary>"README.md:42", the place a failure points to.</summary>
    public override string ToString() => $"{File}:{Line}";
}
