using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MlLinearized.TestSupport;

/// <summary>
/// Runs a built .NET program of the solution (a sample, a host, a probe) as a fresh child process and returns its exit
/// code and its output (stdout then stderr). Shared by every test project (this file is linked into each).
/// </summary>
internal static class ChildProcess
{
    /// <summary>
    /// The output folder of another project of the solution built like this test assembly: tests/&lt;project&gt; or
    /// samples/&lt;project&gt; (<paramref name="projectFolder"/> relative to the repository root), same configuration and framework.
    /// </summary>
    public static string BuiltOutput(string projectFolder)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        return Path.GetFullPath(Path.Combine(TestData.RepositoryRoot, projectFolder, "bin", testBin.Parent!.Name, testBin.Name));
    }

    /// <summary>Runs <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c>; fails the test when it runs past <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Log) Run(string assembly, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.IsTrue(File.Exists(assembly), $"build the solution first: {assembly} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(assembly);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(true);
            Assert.Fail($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not finish in {timeout.TotalMinutes:0.#} minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
