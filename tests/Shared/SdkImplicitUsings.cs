namespace MlLinearized.TestSupport;

/// <summary>
/// The implicit usings of a .NET console app (Microsoft.NET.Sdk, <c>ImplicitUsings</c> enabled), as source: for the
/// tests that compile C# with Roslyn as the SDK would (the docs' snippets, the library's sources). Linked into each
/// project that needs it.
/// </summary>
internal static class SdkImplicitUsings
{
    public const string Source = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;
}
