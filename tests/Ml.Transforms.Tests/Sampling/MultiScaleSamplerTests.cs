using Ml.Transforms.Devices;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

[TestClass]
public sealed class MultiScaleSamplerTests
{
    [TestMethod]
    public void GradientsMatchFiniteDifferences()
    {
        var input = Grids.Image(1, 2, 8, 12, ScalarType.Float64, 51);
        var grid = Grids.Random(1, 3, 2, ScalarType.Float64, 52);
        var weights = Grids.Image(1, 2, 3, 2, ScalarType.Float64, 53);
        var options = new SamplerOptions { Levels = 3 };
        Tensor LossOfGrid(Tensor g) => (GridSampler.GridSample(input, g, SamplingMode.MultiScale, PaddingMode.Border, false, options) * weights).sum();
        Tensor LossOfInput(Tensor x) => (GridSampler.GridSample(x, grid, SamplingMode.MultiScale, PaddingMode.Border, false, options) * weights).sum();
        TensorAssert.Close(FiniteDifferences.Gradient(LossOfGrid, grid), FiniteDifferences.Autograd(LossOfGrid, grid), 1e-6);
        TensorAssert.Close(FiniteDifferences.Gradient(LossOfInput, input), FiniteDifferences.Autograd(LossOfInput, input), 1e-6);
    }

    [TestMethod]
    public void IsTheMeanOfBilinearSamplesOverAnAveragePooledPyramid()
    {
        var input = Grids.Image(2, 3, 16, 20, ScalarType.Float64, 54);
        var grid = Grids.Random(2, 4, 4, ScalarType.Float64, 55);
        var level1 = nn.functional.avg_pool2d(input, 2);
        var level2 = nn.functional.avg_pool2d(level1, 2);
        var expected = Bilinear(input).Plus(Bilinear(level1)).Plus(Bilinear(level2)).Over(3);
        TensorAssert.Close(expected, GridSampler.GridSample(input, grid, SamplingMode.MultiScale, options: new SamplerOptions { Levels = 3 }), 1e-12);
        TensorAssert.Equal(Bilinear(input), GridSampler.GridSample(input, grid, SamplingMode.MultiScale, options: new SamplerOptions { Levels = 1 }), "one level = bilinear");

        Tensor Bilinear(Tensor x) => nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, false);
    }

    [TestMethod]
    [DataRow(256, 128, 2)]
    [DataRow(128, 16, 4)]
    [DataRow(50, 36, 1)]
    [DataRow(32, 64, 1)]
    [DataRow(32, 4, 4)]
    public void AutomaticLevelsGoDownToAboutTheOutputSize(int inputSize, int outputSize, int levels) =>
        Assert.AreEqual(levels, MultiScaleSampler.AutomaticLevels(inputSize, inputSize, outputSize, outputSize));
}
