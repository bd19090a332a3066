using Microsoft.VisualStudio.TestTools.UnitTesting;
using MlLinearized.TestSupport;

namespace MlLinearized.Docs.Tests;

/// <summary>
/// Every C# block in README.md, CHANGELOG.md, src/PACKAGE.md and docs/*.md compiles against the current API, so that
/// what a reader copies works and the docs cannot drift from the code (as the .NET docs do with their snippet projects).
/// </summary>
[TestClass]
public sealed class DocSnippetTests
{
    /// <summary>The Markdown pages whose C# blocks must compile, relative to the repository root.</summary>
    private static IEnumerable<string> Pages()
    {
        var root = TestData.RepositoryRoot;
        foreach (var file in new[] { "README.md", "CHANGELOG.md", Path.Combine("src", "PACKAGE.md") })
            if (File.Exists(Path.Combine(root, file)))
                yield return file;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return Path.GetRelativePath(root, file);
    }

    private static IReadOnlyList<DocSnippet> AllSnippets() =>
        Pages().SelectMany(page => MarkdownSnippets.Read(page.Replace('\\', '/'), File.ReadAllText(Path.Combine(TestData.RepositoryRoot, page)))).ToList();

    public static IEnumerable<TestDataRow<DocSnippet>> Snippets() =>
        AllSnippets().Select(s => new TestDataRow<DocSnippet>(s) { DisplayName = s.ToString() });

    [TestMethod]
    [DynamicData(nameof(Snippets))]
    public void CSharpBlockCompiles(DocSnippet snippet)
    {
        var errors = SnippetCompiler.Errors(snippet);
        if (errors.Count > 0)
            Assert.Fail($"The C# block at {snippet} does not compile against the current API:{Environment.NewLine}" +
                string.Join(Environment.NewLine, errors) + Environment.NewLine + "--- block ---" + Environment.NewLine + snippet.Code);
    }

    [TestMethod]
    public void TheFrontPageAndThePackageReadmeHaveCSharpBlocks()
    {
        // Guards the check itself: if the fence parsing broke, every page would pass with no block found.
        var snippets = AllSnippets();
        Assert.IsTrue(snippets.Any(s => s.File == "README.md"), "README.md: no C# block found.");
        Assert.IsTrue(snippets.Any(s => s.File == "src/PACKAGE.md"), "src/PACKAGE.md: no C# block found.");
    }
}
