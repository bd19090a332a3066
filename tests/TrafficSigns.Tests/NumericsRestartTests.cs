using Ml.Transforms.Devices;

namespace TrafficSigns.Tests;

[TestClass]
public sealed class NumericsRestartTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [TestMethod]
    public void RestartsOnlyWhenOneDnnWasFoundWrongAndNothingIsSetYet()
    {
        Assert.IsTrue(NumericsRestart.ShouldRestart(oneDnnDisabled: true, forced: false, defaultPathCorrect: false, Environment()),
            "wrong default path, nothing set: restart with SSE4.1");
        Assert.IsFalse(NumericsRestart.ShouldRestart(true, false, false, Environment((NumericsRestart.IsaVariable, "SSE41"))), "already limited");
        Assert.IsFalse(NumericsRestart.ShouldRestart(true, false, false, Environment((NumericsRestart.RestartedVariable, "1"))), "restarts once");
        Assert.IsFalse(NumericsRestart.ShouldRestart(oneDnnDisabled: false, forced: false, defaultPathCorrect: true, Environment()), "correct: no restart");
        Assert.IsFalse(NumericsRestart.ShouldRestart(oneDnnDisabled: true, forced: true, defaultPathCorrect: true, Environment()),
            "a forced fallback (MLLINEARIZED_NUMERICS_FALLBACK) is what the user asked for: no restart");
        var check = TorchNumerics.EnsureChecked(TorchSharp.torch.CPU);
        Assert.AreEqual(NumericsRestart.ShouldRestart(check.OneDnnDisabled, check.Forced, check.DefaultPathCorrect, Environment()),
            NumericsRestart.ShouldRestart(check, Environment()), "the check's overload applies the same rule");
    }

    [TestMethod]
    public void TheSampleRestartsItselfWithSse41AndTrainsThere()
    {
        // On this CPU the check passes; the test switch makes the sample restart as it would where oneDNN is wrong.
        using var run = new SampleProcess();
        var (code, log) = run.Run(new Dictionary<string, string> { [NumericsRestart.SimulateVariable] = "1" },
            "train", "--epochs", "1", "--downsampling", "4");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "Restarting with DNNL_MAX_CPU_ISA=SSE41");
        StringAssert.Contains(log, "(DNNL_MAX_CPU_ISA=SSE41)", "the restarted process ran its own check with the limited instruction set");
        Assert.AreEqual(1, log.Split("Restarting with").Length - 1, "it restarts once");
        run.File("model.zip");
    }
}
