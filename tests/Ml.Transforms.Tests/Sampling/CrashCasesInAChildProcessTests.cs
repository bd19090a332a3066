using System.Diagnostics;

namespace Ml.Transforms.Tests.Sampling;

/// <summary>
/// The inputs that killed the process before issue 13 (float16/bfloat16 through the fused kernels, a NaN or infinite
/// grid coordinate with Border/Reflection padding in libtorch's backward, float16 images in SpatialAlignment), each run
/// in a process of its own (tests/CrashProbe), so that a regression fails this test instead of killing the test host.
/// </summary>
[TestClass]
public sealed class CrashCasesInAChildProcessTests
{
    [TestMethod]
    [DataRow("float16-linearized", "result: Float16 2x3x5x6, grid gradient Float16, finite True")]
    [DataRow("bfloat16-linearized", "result: BFloat16 2x3x5x6, grid gradient BFloat16, finite True")]
    [DataRow("float16-multiscale", "result: Float16 2x3x5x6, grid gradient Float16, finite True")]
    [DataRow("nan-border-bilinear", "refused: ")]
    [DataRow("inf-reflection-bilinear", "refused: ")]
    [DataRow("nan-border-linearized", "refused: ")]
    [DataRow("nan-reflection-multiscale", "refused: ")]
    [DataRow("float16-align", "result: warp Float16 1x8")]
    public void TheCaseEndsInAResultOrAClearRefusal(string name, string expected)
    {
        var (code, log) = Run(name);
        Assert.AreEqual(0, code, $"the child process died (exit {code}): {log}");
        StringAssert.StartsWith(log, expected, log);
        if (expected == "refused: ")
        {
            StringAssert.Contains(log, "grid", "the message names the grid");
            StringAssert.Contains(log, "[1, 2, 3", "and the first bad position");
        }
    }

    private static (int Code, string Log) Run(string name)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var probe = Path.GetFullPath(Path.Combine(testBin.FullName, "..", "..", "..", "..", "CrashProbe", "bin", testBin.Parent!.Name, testBin.Name, "CrashProbe.dll"));
        Assert.IsTrue(File.Exists(probe), $"build the solution first: {probe} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(name);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); Assert.Fail($"{name} did not finish in 2 minutes"); }
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}
