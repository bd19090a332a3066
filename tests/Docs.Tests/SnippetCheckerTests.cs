using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MlLinearized.Docs.Tests;

/// <summary>The snippet check itself: it finds the blocks a reader sees, and a block that does not compile fails.</summary>
[TestClass]
public sealed class SnippetCheckerTests
{
    private const string Page = """
        # Title

        ```bash
        dotnet run
        ```

        <!-- snippet-givens: int count; string name -->
        ```csharp
        using System.Text;

        var text = new StringBuilder().Append(name).Append(count).ToString();
        ```

        <!-- snippet-continues -->
        ```cs
        Console.WriteLine(text);
        ```

        ````c#
        public sealed record Row(string Label);
        ````
        """;

    [TestMethod]
    public void FindsCSharpBlocksWithTheirLinesAndGivens()
    {
        var snippets = MarkdownSnippets.Read("page.md", Page);

        Assert.HasCount(2, snippets);
        Assert.AreEqual(9, snippets[0].Line);   // the line after the fence
        CollectionAssert.AreEqual(new[] { "int count", "string name" }, snippets[0].Givens.ToArray());
        StringAssert.Contains(snippets[0].Code, "Console.WriteLine(text);");   // the continuation is part of the first program
        Assert.AreEqual("public sealed record Row(string Label);", snippets[1].Code);
    }

    [TestMethod]
    public void BlocksWithGivensAndContinuationsCompile()
    {
        foreach (var snippet in MarkdownSnippets.Read("page.md", Page))
            Assert.IsEmpty(SnippetCompiler.Errors(snippet), snippet.ToString());
    }

    [TestMethod]
    public void ABlockThatDoesNotCompileGivesTheErrorAtItsLineInThePage()
    {
        var snippet = new DocSnippet("page.md", 20, "var ok = 1;\nint wrong = \"text\";", []);

        var errors = SnippetCompiler.Errors(snippet);

        Assert.HasCount(1, errors);
        StringAssert.StartsWith(errors[0], "page.md:21: CS0029");
    }

    [TestMethod]
    public void AnUnknownLibraryMemberIsAnError()
    {
        var snippet = new DocSnippet("page.md", 1, "using Ml.Trainers;\nvar x = StnImageClassificationCatalog.NoSuchMethod();", []);

        Assert.IsNotEmpty(SnippetCompiler.Errors(snippet));
    }

    [TestMethod]
    public void AnUnclosedFenceIsReported()
    {
        var error = Assert.Throws<FormatException>(() => MarkdownSnippets.Read("page.md", "text\n```csharp\nvar x = 1;\n"));
        StringAssert.Contains(error.Message, "page.md:2");
    }
}
