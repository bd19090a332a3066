using System.Diagnostics;

namespace Ml.Trainers.Tests.Support;

/// <summary>Runs tests/ScoringHost (built with the solution, no libtorch in its output) as a FRESH child process.</summary>
internal static class ScoringHostProcess
{
    public static (int ExitCode, string Log) Run(string workingDirectory, params string[] arguments)
    {
        var testBin = AppContext.BaseDirectory;
        var host = Path.GetFullPath(Path.Combine(testBin, "..", "..", "..", "..", "ScoringHost", "bin",
            new DirectoryInfo(testBin).Parent!.Name, new DirectoryInfo(testBin).Name, "ScoringHost.dll"));
        Assert.IsTrue(File.Exists(host), $"build the solution first: {host} is missing");
        Assert.IsFalse(Directory.EnumerateFiles(Path.GetDirectoryName(host)!, "*torch*", SearchOption.AllDirectories)
            .Any(f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith(".dll", StringComparison.Ordinal) && !f.EndsWith("TorchSharp.dll", StringComparison.Ordinal)), "the host ships no libtorch");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(host);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); Assert.Fail("the scoring host did not finish in 2 minutes"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
