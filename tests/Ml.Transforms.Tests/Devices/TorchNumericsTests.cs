using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Devices;

[TestClass]
public sealed class TorchNumericsTests
{
    [TestCleanup]
    public void RestoreDefaultPath()
    {
        // Tests that force the fallback leave oneDNN off; put the process back as the assembly set it up.
        TorchNumerics.Reset();
        TorchNumerics.EnsureChecked(CPU);
    }

    [TestMethod]
    public void ThePathInUseAgreesWithFloat64()
    {
        var result = TorchNumerics.Check(CPU);
        var errors = result.OneDnnDisabled ? result.ChosenPathErrors! : result.DefaultPathErrors;
        Assert.AreEqual(errors.Worst, result.WorstError, "the public worst error is that of the path in use");
        // float32 against float64 on a ~40k-MAC-per-output network: ~1e-6 when right; the bug gives 0.2–1 or NaN.
        Assert.IsLessThan(1e-4, errors.Worst, errors.ToString());
        Assert.IsGreaterThan(0.0, errors.Worst, "float32 cannot be bit-equal to float64 here: the comparison ran on one dtype");
        Assert.AreEqual(1e-4, result.Tolerance);
        Assert.AreEqual(result.DefaultPathErrors.Worst <= 1e-4, result.DefaultPathCorrect);
        StringAssert.Contains(result.Summary, "Numerics self-check on cpu");
    }

    [TestMethod]
    public void ForcedFallbackTurnsOneDnnOffAndStaysCorrect()
    {
        var result = TorchNumerics.Check(CPU, forceFallback: true);
        Assert.IsTrue(result.OneDnnDisabled);
        Assert.IsFalse(LibTorchContext.OneDnnEnabled, "the fallback turns libtorch's oneDNN switch off");
        Assert.IsNotNull(result.ChosenPathErrors);
        Assert.IsLessThan(1e-4, result.ChosenPathErrors.Worst, result.ChosenPathErrors.ToString());
        Assert.AreEqual(result.DefaultPathCorrect, result.Forced, "forced exactly when the default path was right");
        StringAssert.Contains(result.Summary, "Switched oneDNN off");
        Assert.AreSame(result, TorchNumerics.EnsureChecked(CPU), "the result is kept for the process");
    }

    [TestMethod]
    public void TheOneDnnSwitchRoundTrips()
    {
        Assert.IsTrue(LibTorchContext.CanSwitchOneDnn, "libtorch_cpu exports at::Context::setUserEnabledMkldnn");
        LibTorchContext.OneDnnEnabled = false;
        Assert.IsFalse(LibTorchContext.OneDnnEnabled);
        LibTorchContext.OneDnnEnabled = true;
        Assert.IsTrue(LibTorchContext.OneDnnEnabled);
    }

    [TestMethod]
    public void TheCheckDoesNotTouchTheGlobalSeed()
    {
        manual_seed(5);
        var expected = randn(16).data<float>().ToArray();
        manual_seed(5);
        TorchNumerics.Check(CPU);
        var actual = randn(16).data<float>().ToArray();
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void TheResultIsComputedOncePerDevice()
    {
        TorchNumerics.Reset();
        var messages = new List<string>();
        var first = TorchNumerics.EnsureChecked(CPU, messages.Add);
        var second = TorchNumerics.EnsureChecked(CPU, messages.Add);
        Assert.AreSame(first, second);
        Assert.HasCount(1, messages, "reported once, when it ran");
        Assert.AreEqual(first.Summary, messages[0]);
    }
}
