using Ml.Transforms.Devices;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

[TestClass]
public sealed class LinearizedSamplerTests
{
    private static SamplerOptions Seeded(long seed, bool intercept = true, int k = 8) =>
        new() { Generator = new Generator((ulong)seed), AddFittedIntercept = intercept, SampleCount = k };

    /// <summary>The fused CPU kernel computes bilinear itself: libtorch's value up to float rounding.</summary>
    private static double RoundingTolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 1e-6;

    [TestMethod]
    public void ForwardWithoutInterceptEqualsBilinear()
    {
        foreach (var (dtype, align, padding) in Grids.Configurations)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 3, 9, 8, dtype, 21).requires_grad_(true);
            var grid = Grids.Random(2, 5, 6, dtype, 22).requires_grad_(true);
            var linearized = GridSampler.GridSample(input, grid, SamplingMode.Linearized, padding, align, Seeded(1, intercept: false));
            var bilinear = GridSampler.GridSample(input, grid, SamplingMode.Bilinear, padding, align);
            TensorAssert.Close(bilinear, linearized, RoundingTolerance(dtype), $"{dtype} {align} {padding}");
        }
    }

    [TestMethod]
    public void ForwardWithInterceptEqualsBilinearPlusTheFittedIntercept()
    {
        foreach (var (dtype, align, padding) in Grids.Configurations)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 3, 9, 8, dtype, 23);
            var grid = Grids.Random(2, 5, 6, dtype, 24).requires_grad_(true);
            using var fit = LinearizedSampler.Fit(input, grid, padding, align, Seeded(7));
            var output = GridSampler.GridSample(input, grid, SamplingMode.Linearized, padding, align, Seeded(7));
            var bilinear = GridSampler.GridSample(input, grid, SamplingMode.Bilinear, padding, align);
            TensorAssert.Close(bilinear.Plus(fit.Intercept), output, RoundingTolerance(dtype), $"{dtype} {align} {padding}");
            Assert.IsTrue(TensorAssert.MaxAbs(fit.Intercept) > 0, "a random image gives a non-zero intercept somewhere");
        }
    }

    [TestMethod]
    public void WithoutGradientItIsExactlyBilinearAndDrawsNoNoise()
    {
        foreach (var padding in Grids.Paddings)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 3, 9, 8, ScalarType.Float32, 25);
            var grid = Grids.Random(2, 5, 6, ScalarType.Float32, 26);
            var options = Seeded(3);
            var before = options.Generator!.get_state().clone();
            var bilinear = GridSampler.GridSample(input, grid, SamplingMode.Bilinear, padding);

            TensorAssert.Equal(bilinear, GridSampler.GridSample(input, grid, SamplingMode.Linearized, padding, options: options), "nothing requires grad");
            using (no_grad())
            {
                var tracked = grid.clone().requires_grad_(true);
                TensorAssert.Equal(bilinear, GridSampler.GridSample(input, tracked, SamplingMode.Linearized, padding, options: options), "grad mode off");
            }
            TensorAssert.Equal(before, options.Generator.get_state(), "generator state");
        }
    }

    [TestMethod]
    public void InputGradientEqualsBilinears()
    {
        foreach (var (dtype, align, padding) in Grids.Configurations)
        {
            using var scope = NewDisposeScope();
            var image = Grids.Image(2, 3, 9, 8, dtype, 27);
            var grid = Grids.Random(2, 5, 6, dtype, 28);
            var weights = Grids.Image(2, 3, 5, 6, dtype, 29);
            var a = image.clone().requires_grad_(true);
            (GridSampler.GridSample(a, grid, SamplingMode.Linearized, padding, align, Seeded(2)) * weights).sum().backward();
            var b = image.clone().requires_grad_(true);
            (GridSampler.GridSample(b, grid, SamplingMode.Bilinear, padding, align) * weights).sum().backward();
            TensorAssert.Close(b.grad!, a.grad!, RoundingTolerance(dtype), $"{dtype} {align} {padding}");
        }
    }

    [TestMethod]
    public void GridGradientIsTheChannelSumOfFittedSlopes()
    {
        foreach (var dtype in Grids.FloatTypes)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 3, 12, 10, dtype, 30);
            var grid = Grids.Random(2, 4, 5, dtype, 31, extent: 0.9).requires_grad_(true);
            var weights = Grids.Image(2, 3, 4, 5, dtype, 32).Minus(0.5);
            using var fit = LinearizedSampler.Fit(input, grid, PaddingMode.Border, false, Seeded(9));
            (GridSampler.GridSample(input, grid, SamplingMode.Linearized, PaddingMode.Border, false, Seeded(9)) * weights).sum().backward();
            var expected = stack(new[] { (weights * fit.SlopeX).sum(1), (weights * fit.SlopeY).sum(1) }, -1);
            TensorAssert.Close(expected, grid.grad!, dtype == ScalarType.Float64 ? 1e-12 : 1e-5, dtype.ToString());
            Assert.IsTrue(TensorAssert.MaxAbs(grid.grad!) > 0.1, "the gradient is not trivially zero");
        }
    }

    [TestMethod]
    public void SlopeEqualsTheAnalyticGradientOfALinearImage()
    {
        // I_c(x, y) = alpha_c·x + beta_c·y + gamma_c at pixel centres (normalized coordinates, alignCorners false).
        // Bilinear interpolation reproduces a linear function exactly inside the image, so the fit must recover (alpha, beta).
        const long h = 40, w = 48;
        var alpha = new[] { 0.8, -0.3 };
        var beta = new[] { 0.25, 0.6 };
        // Pixel centres (2i + 1) / w - 1; channel c = alpha[c]·x + beta[c]·y + 0.1·c.
        var xs = KeptScalars.Arange(w, ScalarType.Float64).Times(2).Plus(1).Over(w).Minus(1);
        var ys = KeptScalars.Arange(h, ScalarType.Float64).Times(2).Plus(1).Over(h).Minus(1);
        var channels = Enumerable.Range(0, 2).Select(c => xs.unsqueeze(0).Times(alpha[c]).Plus(ys.unsqueeze(1).Times(beta[c])).Plus(0.1 * c)).ToArray();
        var image = stack(channels, 0).unsqueeze(0);
        foreach (var dtype in Grids.FloatTypes)
        {
            using var scope = NewDisposeScope();
            var grid = Grids.Random(1, 6, 7, dtype, 33, extent: 0.6).requires_grad_(true);
            var output = GridSampler.GridSample(image.to(dtype), grid, SamplingMode.Linearized, PaddingMode.Zeros, false, Seeded(4));
            output.sum().backward();
            double tolerance = dtype == ScalarType.Float64 ? 1e-9 : 2e-3;
            TensorAssert.Close(KeptScalars.Full([6 * 7], alpha.Sum(), ScalarType.Float64), grid.grad![0, .., .., 0].reshape(-1), tolerance, $"d/dx {dtype}");
            TensorAssert.Close(KeptScalars.Full([6 * 7], beta.Sum(), ScalarType.Float64), grid.grad![0, .., .., 1].reshape(-1), tolerance, $"d/dy {dtype}");
        }
    }

    [TestMethod]
    public void BatchItemsAreIndependent()
    {
        var image = Grids.Image(2, 3, 10, 10, ScalarType.Float64, 34);
        var grid = Grids.Random(2, 4, 4, ScalarType.Float64, 35);
        var (out1, grad1) = Run(image);
        var changed = image.clone();
        changed[1] = Grids.Image(1, 3, 10, 10, ScalarType.Float64, 99)[0];
        var (out2, grad2) = Run(changed);
        TensorAssert.Equal(out1[0], out2[0], "item 0 output");
        TensorAssert.Equal(grad1[0], grad2[0], "item 0 gradient");
        Assert.IsFalse(out1[1].eq(out2[1]).all().item<bool>(), "item 1 did change");

        (Tensor, Tensor) Run(Tensor input)
        {
            var g = grid.clone().requires_grad_(true);
            var output = GridSampler.GridSample(input, g, SamplingMode.Linearized, PaddingMode.Zeros, false, Seeded(5));
            output.sum().backward();
            return (output.detach(), g.grad!);
        }
    }

    [TestMethod]
    public void SeededRunsRepeatAndFreshCallsDrawFreshNoise()
    {
        var input = Grids.Image(1, 3, 16, 16, ScalarType.Float32, 36);
        var grid = Grids.Random(1, 6, 6, ScalarType.Float32, 37);
        Tensor Gradient(SamplerOptions options)
        {
            var g = grid.clone().requires_grad_(true);
            GridSampler.GridSample(input, g, SamplingMode.Linearized, options: options).sum().backward();
            return g.grad!;
        }
        TensorAssert.Equal(Gradient(Seeded(11)), Gradient(Seeded(11)), "same seed");
        Assert.IsFalse(Gradient(Seeded(11)).eq(Gradient(Seeded(12))).all().item<bool>(), "another seed gives other noise");
        var shared = Seeded(11);
        Assert.IsFalse(Gradient(shared).eq(Gradient(shared)).all().item<bool>(), "a second call on one generator draws new noise");
    }

    [TestMethod]
    public void ConstantImageGivesZeroSlopeAndTheConstant()
    {
        var image = KeptScalars.Full([1, 2, 8, 8], 0.7, ScalarType.Float64);
        var grid = Grids.Random(1, 5, 5, ScalarType.Float64, 38, extent: 0.5).requires_grad_(true);
        var output = GridSampler.GridSample(image, grid, SamplingMode.Linearized, PaddingMode.Border, false, Seeded(6));
        output.sum().backward();
        TensorAssert.Close(KeptScalars.FullLike(output, 0.7), output.detach(), 1e-12);
        TensorAssert.Close(zeros_like(grid), grid.grad!, 1e-9);
    }

    [TestMethod]
    public void GridFarOutsideTheImageGivesZerosAndFiniteZeroGradients()
    {
        var image = Grids.Image(1, 3, 8, 8, ScalarType.Float32, 39);
        var grid = Grids.Random(1, 4, 4, ScalarType.Float32, 40).Plus(50).requires_grad_(true);
        var output = GridSampler.GridSample(image, grid, SamplingMode.Linearized, PaddingMode.Zeros, false, Seeded(7));
        output.sum().backward();
        TensorAssert.Equal(zeros_like(output), output.detach());
        TensorAssert.Equal(zeros_like(grid), grid.grad!);
    }

    [TestMethod]
    public void UnderdeterminedOrSingularFitsGiveZeroSlopeNeverNaN()
    {
        var image = Grids.Image(1, 3, 12, 12, ScalarType.Float32, 41);
        var grid = Grids.Random(1, 5, 5, ScalarType.Float32, 42, extent: 0.8);
        var cases = new (string Name, SamplerOptions Options)[]
        {
            ("K = 2 (one offset, three unknowns)", Seeded(8, k: 2)),
            ("K = 3", Seeded(8, k: 3)),
            ("no noise at all", new SamplerOptions { NoiseStrength = 0, PushAway = false, Generator = new Generator(8) }),
            ("offsets all beyond |d| > 1 are left out", new SamplerOptions { NoiseStrength = 1e4, PushAway = false, Generator = new Generator(8) }),
        };
        foreach (var (name, options) in cases)
        {
            var g = grid.clone().requires_grad_(true);
            var output = GridSampler.GridSample(image, g, SamplingMode.Linearized, PaddingMode.Zeros, false, options);
            output.sum().backward();
            TensorAssert.AllFinite(output, name);
            TensorAssert.Equal(zeros_like(g), g.grad!, name);
        }
        // K = 4 is the smallest count that determines the plane: then the gradient is non-zero.
        var four = grid.clone().requires_grad_(true);
        GridSampler.GridSample(image, four, SamplingMode.Linearized, PaddingMode.Zeros, false, Seeded(8, k: 4)).sum().backward();
        TensorAssert.AllFinite(four.grad!, "K = 4");
        Assert.IsTrue(TensorAssert.MaxAbs(four.grad!) > 0, "K = 4 fits a plane");
    }
}
