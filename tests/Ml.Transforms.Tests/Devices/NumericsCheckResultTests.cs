using Ml.Transforms.Devices;

namespace Ml.Transforms.Tests.Devices;

/// <summary>What the self-check's summary tells a user whose CPU gets wrong convolution gradients.</summary>
[TestClass]
public sealed class NumericsCheckResultTests
{
    private static readonly ConvolutionErrors Wrong = new(5e-7, 0.4, 0.2), Right = new(5e-7, 1e-6, 2e-6);

    private static NumericsCheckResult Result(bool oneDnnDisabled, ConvolutionErrors defaultErrors, bool forced = false) => new()
    {
        Device = "cpu", OneDnnDisabled = oneDnnDisabled, DefaultPathErrors = defaultErrors, Tolerance = 1e-4, Forced = forced,
        ChosenPathErrors = oneDnnDisabled ? Right : null,
    };

    [TestMethod]
    public void TheSummaryOfAWrongPathNamesTheFasterVariable()
    {
        var wrong = Result(oneDnnDisabled: true, Wrong);
        Assert.IsFalse(wrong.DefaultPathCorrect);
        StringAssert.Contains(wrong.Summary, "WRONG on this machine");
        StringAssert.Contains(wrong.Summary, "DNNL_MAX_CPU_ISA=SSE41");
        StringAssert.DoesNotMatch(Result(oneDnnDisabled: true, Right, forced: true).Summary, new System.Text.RegularExpressions.Regex("SSE41"));
    }
}
