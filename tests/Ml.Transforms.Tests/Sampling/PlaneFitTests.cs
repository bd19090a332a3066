using Ml.Transforms.Devices;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

[TestClass]
public sealed class PlaneFitTests
{
    [TestMethod]
    public void RecoversAnExactPlane()
    {
        using var g = new Generator(72);
        var dx = randn(new long[] { 1, 7, 3, 3 }, ScalarType.Float64, generator: g).Times(0.1);
        var dy = randn(new long[] { 1, 7, 3, 3 }, ScalarType.Float64, generator: g).Times(0.1);
        // values: center 0.5, aux = 0.5 + 2·dx - 3·dy + 0.25
        var aux = (dx.Times(2) - dy.Times(3)).Plus(0.75).unsqueeze(1);
        var values = cat(new[] { KeptScalars.Full([1, 1, 1, 3, 3], 0.5, ScalarType.Float64), aux }, 2);
        var (a, b, c) = PlaneFit.Solve(values, dx, dy, 0.1, 0.1);
        TensorAssert.Close(KeptScalars.FullLike(a, 2.0), a, 1e-9);
        TensorAssert.Close(KeptScalars.FullLike(b, -3.0), b, 1e-9);
        TensorAssert.Close(KeptScalars.FullLike(c, 0.25), c, 1e-9);
    }

    [TestMethod]
    public void CollinearOrDistantOffsetsGiveAZeroPlane()
    {
        using var g = new Generator(71);
        var values = rand(new long[] { 1, 2, 8, 1, 2 }, ScalarType.Float64, generator: g);
        var dx = randn(new long[] { 1, 7, 1, 2 }, ScalarType.Float64, generator: g).Times(0.3);
        var dy = randn(new long[] { 1, 7, 1, 2 }, ScalarType.Float64, generator: g).Times(0.3);
        dy[0, .., 0, 0] = dx[0, .., 0, 0].Times(2); // pixel 0: every offset on one line
        dx[0, .., 0, 1] = KeptScalars.Full([7], 1.5, ScalarType.Float64); // pixel 1: every offset beyond |d| <= 1, left out
        var (a, b, c) = PlaneFit.Solve(values, dx, dy, 0.3, 0.3);
        Assert.AreEqual(0.0, TensorAssert.MaxAbs(a) + TensorAssert.MaxAbs(b) + TensorAssert.MaxAbs(c));
        var (a2, _, _) = PlaneFit.Solve(values, randn(new long[] { 1, 7, 1, 2 }, ScalarType.Float64, generator: g).Times(0.3), dy, 0.3, 0.3);
        Assert.IsTrue(TensorAssert.MaxAbs(a2) > 0, "spread offsets give a plane (the test can fail)");
    }
}
