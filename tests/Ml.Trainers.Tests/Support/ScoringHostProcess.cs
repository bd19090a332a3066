using MlLinearized.TestSupport;

namespace Ml.Trainers.Tests.Support;

/// <summary>Runs tests/ScoringHost (built with the solution, no libtorch in its output) as a FRESH child process.</summary>
internal static class ScoringHostProcess
{
    public static (int ExitCode, string Log) Run(string workingDirectory, params string[] arguments)
    {
        var host = Path.Combine(ChildProcess.BuiltOutput("tests/ScoringHost"), "ScoringHost.dll");
        Assert.IsTrue(File.Exists(host), $"build the solution first: {host} is missing");
        Assert.IsFalse(Directory.EnumerateFiles(Path.GetDirectoryName(host)!, "*torch*", SearchOption.AllDirectories)
            .Any(f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith(".dll", StringComparison.Ordinal) && !f.EndsWith("TorchSharp.dll", StringComparison.Ordinal)), "the host ships no libtorch");
        return ChildProcess.Run(host, arguments, TimeSpan.FromMinutes(2), workingDirectory);
    }
}
