using MlLinearized.TestSupport;

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
        var (code, log) = ChildProcess.Run(Path.Combine(ChildProcess.BuiltOutput("tests/CrashProbe"), "CrashProbe.dll"), [name], TimeSpan.FromMinutes(2));
        return (code, log.Trim());
    }
}
