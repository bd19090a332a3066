using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

[TestClass]
public sealed class GridSamplerTests
{
    [TestMethod]
    public void BilinearAndNearestEqualLibTorchGridSampleForEveryPaddingAlignmentAndDtype()
    {
        var paddings = new[] { (PaddingMode.Zeros, GridSamplePaddingMode.Zeros), (PaddingMode.Border, GridSamplePaddingMode.Border), (PaddingMode.Reflection, GridSamplePaddingMode.Reflection) };
        foreach (var dtype in Grids.FloatTypes)
        foreach (var align in Grids.AlignCornersValues)
        foreach (var (ours, theirs) in paddings)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 3, 7, 9, dtype, seed: 1);
            var grid = Grids.Random(2, 5, 4, dtype, seed: 2, extent: 1.4);
            var what = $"({dtype}, align {align}, {ours})";
            TensorAssert.Equal(nn.functional.grid_sample(input, grid, GridSampleMode.Bilinear, theirs, align),
                GridSampler.GridSample(input, grid, SamplingMode.Bilinear, ours, align), "bilinear " + what);
            TensorAssert.Equal(nn.functional.grid_sample(input, grid, GridSampleMode.Nearest, theirs, align),
                GridSampler.GridSample(input, grid, SamplingMode.Nearest, ours, align), "nearest " + what);
        }
    }

    [TestMethod]
    public void BilinearGradientsMatchFiniteDifferences()
    {
        foreach (var padding in Grids.Paddings)
        foreach (var align in Grids.AlignCornersValues)
        {
            var input = Grids.Image(1, 2, 5, 6, ScalarType.Float64, seed: 3);
            var grid = Grids.Random(1, 3, 3, ScalarType.Float64, seed: 4, extent: 1.2);
            var weights = Grids.Image(1, 2, 3, 3, ScalarType.Float64, seed: 5);
            Tensor LossOfGrid(Tensor g) => (GridSampler.GridSample(input, g, SamplingMode.Bilinear, padding, align) * weights).sum();
            Tensor LossOfInput(Tensor x) => (GridSampler.GridSample(x, grid, SamplingMode.Bilinear, padding, align) * weights).sum();
            // Bilinear is piecewise linear: central differences with h = 1e-6 are exact up to rounding away from kinks.
            TensorAssert.Close(FiniteDifferences.Gradient(LossOfGrid, grid), FiniteDifferences.Autograd(LossOfGrid, grid), 1e-6, $"grid {padding} {align}");
            TensorAssert.Close(FiniteDifferences.Gradient(LossOfInput, input), FiniteDifferences.Autograd(LossOfInput, input), 1e-6, $"input {padding} {align}");
        }
    }

    [TestMethod]
    public void OutputFollowsTheInputsDtypeAndShape()
    {
        foreach (var mode in Enum.GetValues<SamplingMode>())
        foreach (var dtype in Grids.FloatTypes)
        {
            using var scope = NewDisposeScope();
            var output = GridSampler.GridSample(Grids.Image(2, 3, 8, 8, dtype, 1), Grids.Random(2, 4, 5, dtype, 2), mode);
            Assert.AreEqual(dtype, output.dtype, mode.ToString());
            CollectionAssert.AreEqual(new long[] { 2, 3, 4, 5 }, output.shape, mode.ToString());
        }
    }

    [TestMethod]
    public void BadArgumentsAreRejectedWithMessagesNamingTheArgument()
    {
        var input = Grids.Image(1, 1, 4, 4, ScalarType.Float32, 1);
        var grid = Grids.Random(1, 2, 2, ScalarType.Float32, 2);

        var rank = Assert.ThrowsExactly<ArgumentException>(() => GridSampler.GridSample(input[0], grid));
        Assert.AreEqual("input", rank.ParamName);
        StringAssert.Contains(rank.Message, "(N, C, Hin, Win)");

        var lastDim = Assert.ThrowsExactly<ArgumentException>(() => GridSampler.GridSample(input, zeros(1, 2, 2, 3)));
        Assert.AreEqual("grid", lastDim.ParamName);

        var batch = Assert.ThrowsExactly<ArgumentException>(() => GridSampler.GridSample(input, zeros(2, 2, 2, 2)));
        StringAssert.Contains(batch.Message, "batch size 2");

        var dtype = Assert.ThrowsExactly<ArgumentException>(() => GridSampler.GridSample(input, grid.to(ScalarType.Float64)));
        StringAssert.Contains(dtype.Message, "dtype");

        var integer = Assert.ThrowsExactly<ArgumentException>(() => GridSampler.GridSample(input.to(ScalarType.Int32), grid));
        StringAssert.Contains(integer.Message, "floating-point");

        var k = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            GridSampler.GridSample(input, grid, SamplingMode.Linearized, options: new SamplerOptions { SampleCount = 1 }));
        Assert.AreEqual(nameof(SamplerOptions.SampleCount), k.ParamName);

        var noise = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            GridSampler.GridSample(input, grid, SamplingMode.Linearized, options: new SamplerOptions { NoiseStrength = double.NaN }));
        Assert.AreEqual(nameof(SamplerOptions.NoiseStrength), noise.ParamName);
    }
}
