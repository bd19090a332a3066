using Ml.Transforms.Devices;
using Ml.Transforms.Sampling;
using Ml.Transforms.Sampling.Cpu;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling.Cpu;

[TestClass]
public sealed class AveragePyramidTests
{
    [TestMethod]
    public void LevelsEqualRepeatedAvgPool2dExactly()
    {
        // Odd sizes (rounded down at every level) and rows wide enough for the SIMD path and its tail.
        foreach (var dtype in Grids.FloatTypes)
        foreach (var (h, w) in new (long, long)[] { (37, 45), (64, 64), (9, 2), (5, 70) })
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 3, h, w, dtype, 121);
            var levels = AveragePyramid.Build(input, 5);
            var expected = input;
            int count = 0;
            for (long lh = h, lw = w; count < 4 && lh >= 2 && lw >= 2; count++, lh /= 2, lw /= 2)
            {
                expected = nn.functional.avg_pool2d(expected, 2);
                TensorAssert.Equal(expected, levels[count], $"level {count + 1} of {h}×{w} {dtype}");
            }
            Assert.HasCount(count, levels, $"{h}×{w}: levels stop when a side is below 2");
        }
    }

    [TestMethod]
    public void AnExpandedBatchIsPooledOnceAndEqualsItsCopy()
    {
        var image = Grids.Image(1, 3, 32, 24, ScalarType.Float32, 122);
        var expanded = AveragePyramid.Build(image.expand(6, -1, -1, -1), 3);
        var copied = AveragePyramid.Build(image.expand(6, -1, -1, -1).contiguous(), 3);
        for (int k = 0; k < 2; k++)
        {
            TensorAssert.Equal(copied[k], expanded[k], $"level {k + 1}");
            Assert.AreEqual(0L, expanded[k].stride(0), "the expanded batch shares one pooled image");
        }
    }

    [TestMethod]
    public void AnInputThatNeedsItsGradientGetsItThroughEveryLevel()
    {
        var input = Grids.Image(1, 1, 8, 8, ScalarType.Float64, 123).requires_grad_(true);
        var levels = AveragePyramid.Build(input, 3);
        levels[0].sum().Plus(levels[1].sum()).backward();
        // d(sum of level 1)/dx = 1/4 and d(sum of level 2)/dx = 1/16 for every pixel of an 8×8 image.
        TensorAssert.Close(KeptScalars.FullLike(input, 0.25 + 0.0625), input.grad!, 1e-15);
    }
}
