using Ml.Transforms.Devices;

namespace TrafficSigns.Tests;

[TestClass]
public sealed class NumericsRestartTests
{
    private static readonly ConvolutionErrors Wrong = new(5e-7, 0.4, 0.2), Right = new(5e-7, 1e-6, 2e-6);

    private static NumericsCheckResult Result(bool oneDnnDisabled, ConvolutionErrors defaultErrors, bool forced = false) => new()
    {
        Device = "cpu", OneDnnDisabled = oneDnnDisabled, DefaultPathErrors = defaultErrors, Tolerance = 1e-4, Forced = forced,
        ChosenPathErrors = oneDnnDisabled ? Right : null,
    };

    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [TestMethod]
    public void RestartsOnlyWhenOneDnnWasFoundWrongAndNothingIsSetYet()
    {
        var wrong = Result(oneDnnDisabled: true, Wrong);
        Assert.IsTrue(NumericsRestart.ShouldRestart(wrong, Environment()), "wrong default path, nothing set: restart with SSE4.1");
        Assert.IsFalse(NumericsRestart.ShouldRestart(wrong, Environment((NumericsRestart.IsaVariable, "SSE41"))), "already limited");
        Assert.IsFalse(NumericsRestart.ShouldRestart(wrong, Environment((NumericsRestart.RestartedVariable, "1"))), "restarts once");
        Assert.IsFalse(NumericsRestart.ShouldRestart(Result(oneDnnDisabled: false, Right), Environment()), "correct: no restart");
        Assert.IsFalse(NumericsRestart.ShouldRestart(Result(oneDnnDisabled: true, Right, forced: true), Environment()),
            "a forced fallback (MLLINEARIZED_NUMERICS_FALLBACK) is what the user asked for: no restart");
    }

    [TestMethod]
    public void TheSummaryOfAWrongPathNamesTheFasterVariable()
    {
        var summary = Result(oneDnnDisabled: true, Wrong).Summary;
        StringAssert.Contains(summary, "WRONG on this machine");
        StringAssert.Contains(summary, "DNNL_MAX_CPU_ISA=SSE41");
        StringAssert.DoesNotMatch(Result(oneDnnDisabled: true, Right, forced: true).Summary, new System.Text.RegularExpressions.Regex("SSE41"));
    }

    [TestMethod]
    public void TheSampleRestartsItselfWithSse41AndTrainsThere()
    {
        // On this CPU the check passes; the test switch makes the sample restart as it would where oneDNN is wrong.
        using var run = new SampleProcess();
        var (code, log) = run.Run(new Dictionary<string, string> { [NumericsRestart.SimulateVariable] = "1" },
            "train", "--data", SampleProcess.BuiltInData, "--epochs", "1", "--downsampling", "4");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "Restarting with DNNL_MAX_CPU_ISA=SSE41");
        StringAssert.Contains(log, "(DNNL_MAX_CPU_ISA=SSE41)", "the restarted process ran its own check with the limited instruction set");
        Assert.AreEqual(1, log.Split("Restarting with").Length - 1, "it restarts once");
        run.File("model.zip");
    }
}
