using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using MlLinearized.TestSupport;

namespace Ml.Transforms.Tests.Support;

/// <summary>
/// Finds, with Roslyn's semantic model, every place in a project's sources where TorchSharp 0.107 makes a temporary
/// <c>Scalar</c> that nothing keeps alive across its native call (docs/performance.md, the temporary-Scalar race):
/// a number converted implicitly to a <c>Scalar</c>; a <c>Tensor</c> operator with a number operand (TorchSharp converts
/// it inside); <c>Tensor + Tensor</c> and <c>add</c>/<c>add_</c> without an <c>alpha</c> (TorchSharp passes a
/// temporary 1); <c>+</c>/<c>−</c> with a <c>Scalar</c> operand (through <c>add(Scalar)</c>'s temporary alpha); and
/// TorchSharp's <c>Tensor.ToDouble()</c>-style conversions (through <c>ToScalar()</c>).
/// </summary>
internal static class TemporaryScalarScan
{
    /// <summary>Error codes a project compiled without its source generators has anyway (regex generators' partial methods, a program's top-level statements).</summary>
    private static readonly HashSet<string> ExpectedErrors = ["CS8795", "CS8805"];

    /// <summary>The result of scanning one project: each finding as "path:line: what: code", and how many TorchSharp calls were looked at.</summary>
    public sealed record Result(IReadOnlyList<string> Findings, int TorchSharpCalls, IReadOnlyList<string> Errors);

    /// <summary>
    /// Scans a project's C# files as one compilation: every .cs file under <paramref name="projectFolder"/> (relative to
    /// the repository root; not bin/ or obj/), and the files its .csproj links in with <c>&lt;Compile Include&gt;</c>.
    /// </summary>
    /// <param name="assemblyName">The project's assembly name (for InternalsVisibleTo).</param>
    /// <param name="referencesFolder">A build output holding every assembly the project references.</param>
    /// <param name="testProject">Adds MSTest's global using, as MSTest's SDK does.</param>
    /// <param name="projectFolder">The project's folder, relative to the repository root.</param>
    public static Result Scan(string assemblyName, string referencesFolder, bool testProject, string projectFolder)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(SdkImplicitUsings.Source + (testProject ? "global using Microsoft.VisualStudio.TestTools.UnitTesting;\n" : ""), parse),
        };
        var folder = Path.GetFullPath(Path.Combine(TestData.RepositoryRoot, projectFolder));
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"));
        foreach (var project in Directory.EnumerateFiles(folder, "*.csproj"))
            files = files.Concat(System.Xml.Linq.XDocument.Load(project).Descendants("Compile").Select(c => (string?)c.Attribute("Include"))
                .OfType<string>().Select(include => Path.GetFullPath(Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar)))));
        foreach (var file in files.Distinct().Order(StringComparer.Ordinal))
            trees.Add(CSharpSyntaxTree.ParseText(File.ReadAllText(file), parse, path: Path.GetRelativePath(TestData.RepositoryRoot, file).Replace('\\', '/')));
        var compilation = CSharpCompilation.Create(assemblyName, trees, References(referencesFolder, assemblyName),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !ExpectedErrors.Contains(d.Id)).Select(d => d.ToString()).ToList();
        var scalar = compilation.GetTypeByMetadataName("TorchSharp.Scalar") ?? throw new InvalidOperationException("TorchSharp is not among the references");
        var tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor")!;
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        int calls = 0;
        foreach (var tree in trees.Skip(1))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetOperation(node) is not { Parent: null } root)
                    continue;
                foreach (var operation in root.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.ContainingAssembly.Name: "TorchSharp" })
                        calls++;
                    if (Problem(operation, scalar, tensor) is { } problem)
                    {
                        var line = operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        var code = operation.Syntax.ToString().ReplaceLineEndings(" ");
                        findings.Add($"{tree.FilePath}:{line}: {problem}: {(code.Length > 80 ? code[..80] + "…" : code)}");
                    }
                }
            }
        }
        return new Result(findings.ToList(), calls, errors);
    }

    private static string? Problem(IOperation operation, INamedTypeSymbol scalar, INamedTypeSymbol tensor) => operation switch
    {
        IConversionOperation { IsImplicit: true, Conversion.IsUserDefined: true } c when Is(c.Type, scalar) => "a number made a temporary Scalar",
        IBinaryOperation { OperatorMethod: { } m } b when Is(m.ContainingType, tensor) && MakesAScalar(m, b.OperatorKind) => $"Tensor operator {Operands(m, b.OperatorKind)}",
        ICompoundAssignmentOperation { OperatorMethod: { } m } c when Is(m.ContainingType, tensor) && MakesAScalar(m, c.OperatorKind) => $"Tensor operator {Operands(m, c.OperatorKind)}=",
        IInvocationOperation i when Is(i.TargetMethod.ContainingType, tensor) && i.TargetMethod.Name is "add" or "add_" && i.TargetMethod.Parameters.Length == 1 => $"{i.TargetMethod.Name} without alpha",
        IInvocationOperation i when i.TargetMethod.ContainingType.Name == "TensorExtensionMethods" && i.TargetMethod.Parameters.Length == 1
            && i.TargetMethod.Name.StartsWith("To", StringComparison.Ordinal) && Is(i.TargetMethod.Parameters[0].Type, tensor) && i.TargetMethod.ReturnType.SpecialType != SpecialType.None
            => $"Tensor.{i.TargetMethod.Name}() through a temporary Scalar",
        _ => null,
    };

    /// <summary>
    /// Operators with a number operand convert it inside; <c>Tensor + Tensor</c> passes alpha 1; <c>+</c> and <c>−</c> with a
    /// Scalar go through <c>add(Scalar)</c>'s alpha 1. (<c>Tensor − Tensor</c>, <c>*</c>, <c>/</c> of tensors, and <c>*</c>,
    /// <c>/</c> with a Scalar the caller keeps, make none.)
    /// </summary>
    private static bool MakesAScalar(IMethodSymbol op, BinaryOperatorKind kind)
    {
        if (op.Parameters.All(p => p.Type.Name == "Tensor"))
            return kind == BinaryOperatorKind.Add;
        if (op.Parameters.Any(p => p.Type.SpecialType != SpecialType.None))
            return true;
        return kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract;
    }

    private static string Operands(IMethodSymbol op, BinaryOperatorKind kind) => $"{kind}({string.Join(", ", op.Parameters.Select(p => p.Type.Name))})";

    private static bool Is(ITypeSymbol? a, INamedTypeSymbol b) => SymbolEqualityComparer.Default.Equals(a, b);

    /// <summary>The managed assemblies of <paramref name="folder"/>, then the running .NET's own.</summary>
    private static ImmutableArray<MetadataReference> References(string folder, string assemblyName)
    {
        var byName = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
        var runtime = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in Directory.EnumerateFiles(folder, "*.dll").Concat(runtime))
        {
            var name = Path.GetFileName(path);
            if (byName.ContainsKey(name) || Path.GetFileNameWithoutExtension(path) == assemblyName || !IsManaged(path))
                continue;
            byName[name] = MetadataReference.CreateFromFile(path);
        }
        return [.. byName.Values];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
