using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

[TestClass]
public sealed class PlaneFitTests
{
    [TestMethod]
    public void FusedCpuKernelEqualsTheLibTorchFormUsedOnOtherDevices()
    {
        foreach (var dtype in Grids.FloatTypes)
        {
            using var scope = NewDisposeScope();
            using var g = new Generator(71);
            var values = rand(new long[] { 2, 3, 8, 5, 6 }, dtype, generator: g);
            var dx = randn(new long[] { 2, 7, 5, 6 }, dtype, generator: g) * 0.4;
            var dy = randn(new long[] { 2, 7, 5, 6 }, dtype, generator: g) * 0.4; // some offsets beyond 1: left out
            dx[0, .., 0, 0] = zeros(7, dtype: dtype); // a singular pixel: all offsets on a line
            var (a1, b1, c1) = PlaneFitKernel.Solve(values, dx, dy, 0.4, 0.4);
            var (a2, b2, c2) = PlaneFit.Solve(values, dx, dy, 0.4, 0.4);
            double tolerance = dtype == ScalarType.Float64 ? 1e-10 : 1e-4;
            TensorAssert.Close(a2, a1, tolerance, $"a {dtype}");
            TensorAssert.Close(b2, b1, tolerance, $"b {dtype}");
            TensorAssert.Close(c2, c1, tolerance, $"c {dtype}");
            Assert.AreEqual(0.0, TensorAssert.MaxAbs(a1[0, .., 0, 0]) + TensorAssert.MaxAbs(c1[0, .., 0, 0]), "singular pixel gives zero");
        }
    }

    [TestMethod]
    public void RecoversAnExactPlane()
    {
        using var g = new Generator(72);
        var dx = randn(new long[] { 1, 7, 3, 3 }, ScalarType.Float64, generator: g) * 0.1;
        var dy = randn(new long[] { 1, 7, 3, 3 }, ScalarType.Float64, generator: g) * 0.1;
        // values: center 0.5, aux = 0.5 + 2·dx - 3·dy + 0.25
        var aux = (dx * 2 - dy * 3 + 0.75).unsqueeze(1);
        var values = cat(new[] { full(new long[] { 1, 1, 1, 3, 3 }, 0.5, ScalarType.Float64), aux }, 2);
        var (a, b, c) = PlaneFitKernel.Solve(values, dx, dy, 0.1, 0.1);
        TensorAssert.Close(full_like(a, 2.0), a, 1e-9);
        TensorAssert.Close(full_like(b, -3.0), b, 1e-9);
        TensorAssert.Close(full_like(c, 0.25), c, 1e-9);
    }
}
