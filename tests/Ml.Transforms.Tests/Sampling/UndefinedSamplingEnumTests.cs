using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

/// <summary>Sampling and padding values with no member are refused, naming the value, never read as another mode.</summary>
[TestClass]
public sealed class UndefinedSamplingEnumTests
{
    [TestMethod]
    public void AnUndefinedSamplingModeIsRefused()
    {
        using var scope = NewDisposeScope();
        var input = Grids.Image(1, 1, 4, 4, ScalarType.Float32, seed: 1);
        var grid = Grids.Random(1, 4, 4, ScalarType.Float32, seed: 3, extent: 0.9);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GridSampler.GridSample(input, grid, (SamplingMode)99));
        Assert.AreEqual("mode", e.ParamName);
        StringAssert.Contains(e.Message, "99");
    }

    [TestMethod]
    public void AnUndefinedPaddingModeIsRefusedInEveryMode()
    {
        using var scope = NewDisposeScope();
        var input = Grids.Image(1, 1, 4, 4, ScalarType.Float32, seed: 2);
        var grid = Grids.Random(1, 4, 4, ScalarType.Float32, seed: 3, extent: 0.9);
        foreach (var mode in Enum.GetValues<SamplingMode>())
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
                () => GridSampler.GridSample(input, grid, mode, (PaddingMode)99), mode.ToString());
            Assert.AreEqual("padding", e.ParamName, mode.ToString());
            StringAssert.Contains(e.Message, "Unknown PaddingMode 99", mode.ToString());
        }
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LinearizedSampler.Fit(input, grid, (PaddingMode)99, alignCorners: false));
    }
}
