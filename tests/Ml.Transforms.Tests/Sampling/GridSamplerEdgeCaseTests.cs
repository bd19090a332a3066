using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

/// <summary>
/// Inputs that used to crash the process or return NaN: float16/bfloat16 tensors, non-finite grid coordinates, an
/// empty batch. The crash cases never reach native code here: the refusals happen in managed code before any
/// sampling, and these tests never run a backward on a refused grid, so a regression fails an assertion instead of
/// killing the test host.
/// </summary>
[TestClass]
public sealed class GridSamplerEdgeCaseTests
{
    private static readonly SamplingMode[] Modes = Enum.GetValues<SamplingMode>();

    private static SamplerOptions Seeded(long seed, bool intercept = true) =>
        new() { Generator = new Generator((ulong)seed), AddFittedIntercept = intercept, Levels = 2 };

    [TestMethod]
    public void ReducedPrecisionInputsAreSampledInFloat32AndKeepTheirDtype()
    {
        foreach (var dtype in new[] { ScalarType.Float16, ScalarType.BFloat16 })
        foreach (var mode in Modes)
        {
            using var scope = NewDisposeScope();
            var image = Grids.Image(2, 3, 9, 8, ScalarType.Float32, 101).to(dtype);
            var points = Grids.Random(2, 5, 6, ScalarType.Float32, 102).to(dtype);
            var weights = Grids.Image(2, 3, 5, 6, ScalarType.Float32, 103);

            var input = image.clone().requires_grad_(true);
            var grid = points.clone().requires_grad_(true);
            var output = GridSampler.GridSample(input, grid, mode, PaddingMode.Border, false, Seeded(104));
            (output.to(ScalarType.Float32) * weights).sum().backward();

            // The same computation written out: float32 copies in, the dtype out.
            var input32 = image.to(ScalarType.Float32).requires_grad_(true);
            var grid32 = points.to(ScalarType.Float32).requires_grad_(true);
            var output32 = GridSampler.GridSample(input32, grid32, mode, PaddingMode.Border, false, Seeded(104));
            (output32.to(dtype).to(ScalarType.Float32) * weights).sum().backward();

            string what = $"{mode} {dtype}";
            Assert.AreEqual(dtype, output.dtype, what);
            TensorAssert.Equal(output32.to(dtype), output, "value " + what);
            TensorAssert.Equal(input32.grad!.to(dtype), input.grad!, "input gradient " + what);
            TensorAssert.Equal(grid32.grad!.to(dtype), grid.grad!, "grid gradient " + what);
            Assert.IsTrue(TensorAssert.MaxAbs(output) > 0.1, "not trivially zero " + what);
        }
    }

    [TestMethod]
    public void CoordinatesThatNoPaddingCanPlaceAreRefusedNamingTheFirstOne()
    {
        var cases = new (PaddingMode Padding, double Value, string Shown)[]
        {
            (PaddingMode.Border, double.NaN, "NaN"),
            (PaddingMode.Reflection, double.NaN, "NaN"),
            (PaddingMode.Reflection, double.PositiveInfinity, "+∞"),
            (PaddingMode.Reflection, double.NegativeInfinity, "−∞"),
        };
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16 })
        foreach (var (padding, value, shown) in cases)
        foreach (var mode in Modes)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 2, 6, 6, ScalarType.Float32, 105).to(dtype).requires_grad_(true);
            var grid = Grids.Random(2, 3, 4, ScalarType.Float32, 106).to(dtype);
            grid[1, 2, 3, 0] = tensor(value, dtype).abs().neg(); // the first bad coordinate: NaN or −∞
            grid[1, 2, 3, 1] = tensor(value, dtype);
            grid.requires_grad_(true);
            string what = $"{mode} {padding} {shown} {dtype}";
            var error = Assert.ThrowsExactly<ArgumentException>(() => GridSampler.GridSample(input, grid, mode, padding, false, Seeded(107)), what);
            Assert.AreEqual("grid", error.ParamName, what);
            StringAssert.Contains(error.Message, "grid[1, 2, 3, 0]", what);
            StringAssert.Contains(error.Message, double.IsNaN(value) ? "NaN" : "−∞", what);
            StringAssert.Contains(error.Message, padding.ToString(), what);
        }
        var nan = Grids.Random(1, 2, 2, ScalarType.Float32, 108);
        nan[0, 1, 0, 0] = tensor(float.NaN);
        Assert.ThrowsExactly<ArgumentException>(() => LinearizedSampler.Fit(Grids.Image(1, 1, 4, 4, ScalarType.Float32, 109), nan, PaddingMode.Border, false));
    }

    [TestMethod]
    public void InfiniteCoordinatesWithBorderPaddingReadTheBorderInEveryMode()
    {
        const long h = 6, w = 7;
        var image = Grids.Image(1, 2, h, w, ScalarType.Float64, 110);
        var points = Grids.Random(1, 2, 3, ScalarType.Float64, 111, extent: 0.8);
        var infinite = points.clone();
        var far = points.clone();
        Set(0, 0, double.PositiveInfinity, double.PositiveInfinity); // corner (h - 1, w - 1)
        Set(0, 1, double.NegativeInfinity, double.NegativeInfinity); // corner (0, 0)
        Set(0, 2, double.PositiveInfinity, 0.3); // last column, y = 0.3
        Set(1, 0, -0.2, double.NegativeInfinity); // first row, x = -0.2

        foreach (var mode in Modes)
        foreach (bool intercept in new[] { false, true })
        {
            using var scope = NewDisposeScope();
            string what = $"{mode} intercept {intercept}";
            var (value, gradient) = Run(infinite);
            var (farValue, farGradient) = Run(far);
            TensorAssert.AllFinite(value, "value " + what);
            TensorAssert.AllFinite(gradient, "gradient " + what);
            // ±∞ behaves as a point far outside: on the border (libtorch's bilinear gives the same), no gradient along it.
            TensorAssert.Close(farValue, value, 1e-9, "value " + what);
            TensorAssert.Close(farGradient, gradient, 1e-8, "gradient " + what);
            if (!intercept && mode != SamplingMode.MultiScale) // MultiScale averages the corners of its pyramid's levels
            {
                TensorAssert.Close(image[0, .., h - 1, w - 1], value[0, .., 0, 0], 1e-12, "corner " + what);
                TensorAssert.Close(image[0, .., 0, 0], value[0, .., 0, 1], 1e-12, "corner " + what);
            }

            (Tensor Value, Tensor Gradient) Run(Tensor points)
            {
                var grid = points.clone().requires_grad_(true);
                var output = GridSampler.GridSample(image, grid, mode, PaddingMode.Border, false, Seeded(112, intercept));
                output.sum().backward();
                return (output.detach(), grid.grad!);
            }
        }

        void Set(long row, long column, double x, double y)
        {
            infinite[0, row, column, 0] = tensor(x);
            infinite[0, row, column, 1] = tensor(y);
            far[0, row, column, 0] = tensor(double.IsInfinity(x) ? Math.Sign(x) * 1e3 : x);
            far[0, row, column, 1] = tensor(double.IsInfinity(y) ? Math.Sign(y) * 1e3 : y);
        }
    }

    [TestMethod]
    public void EveryModeSamplesAnEmptyBatch()
    {
        foreach (var mode in Modes)
        foreach (var padding in Grids.Paddings)
        {
            var input = zeros(new long[] { 0, 3, 5, 5 }).requires_grad_(true);
            var grid = zeros(new long[] { 0, 4, 2, 2 }).requires_grad_(true);
            var output = GridSampler.GridSample(input, grid, mode, padding, false, Seeded(113));
            CollectionAssert.AreEqual(new long[] { 0, 3, 4, 2 }, output.shape, $"{mode} {padding}");
            if (output.requires_grad)
            {
                output.sum().backward();
                CollectionAssert.AreEqual(input.shape, input.grad!.shape, $"{mode} {padding}");
            }
        }
    }
}
