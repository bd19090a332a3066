using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MlLinearized.TestSupport;

namespace MlLinearized.Docs.Tests;

/// <summary>
/// Compiles a <see cref="DocSnippet"/> the way a reader's new console app (<c>dotnet new console</c>: nullable on,
/// implicit usings) with the MlLinearized packages would: against every assembly this test process can load (the .NET
/// runtime, both libraries, ML.NET, ONNX Runtime, TorchSharp). A block with statements is a top-level program; its
/// givens are declared after its <c>using</c> directives, as locals that hold <c>default!</c>. Nothing is run.
/// </summary>
internal static class SnippetCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>The compiler's errors for <paramref name="snippet"/>, each as "File:line: CSxxxx message"; empty when it compiles.</summary>
    public static IReadOnlyList<string> Errors(DocSnippet snippet)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var original = CSharpSyntaxTree.ParseText(snippet.Code, parse);
        var root = original.GetCompilationUnitRoot();
        // The givens go after the using directives (a using directive cannot follow a statement).
        int insertAt = root.Usings.Count > 0 ? root.Usings.Last().FullSpan.End : 0;
        var givens = string.Concat(snippet.Givens.Select(g => $"{g} = default!;\n"));
        var code = snippet.Code.Insert(insertAt, givens);
        var tree = CSharpSyntaxTree.ParseText(code, parse, path: snippet.File);
        bool hasStatements = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

        var options = new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false);
        var compilation = CSharpCompilation.Create("Snippet", [CSharpSyntaxTree.ParseText(SdkImplicitUsings.Source, parse), tree], References.Value, options);
        int givenLines = snippet.Givens.Count;
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d =>
            {
                int line = d.Location.GetLineSpan().StartLinePosition.Line;   // 0-based, in the code with the givens inserted
                int lineInBlock = line - (line >= LineOf(code, insertAt) + givenLines ? givenLines : 0);
                return $"{snippet.File}:{snippet.Line + lineInBlock}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            })
            .ToList();
    }

    private static int LineOf(string text, int position) => text.AsSpan(0, position).Count('\n');

    /// <summary>Every managed assembly of this process's trusted platform list: the runtime and this project's dependencies.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetFileName(p).StartsWith("Docs.Tests", StringComparison.OrdinalIgnoreCase));
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var path in paths)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                if (!pe.HasMetadata)
                    continue;   // a native library with a .dll name
            }
            catch (BadImageFormatException)
            {
                continue;
            }
            references.Add(MetadataReference.CreateFromFile(path));
        }
        return references.ToImmutable();
    }
}
