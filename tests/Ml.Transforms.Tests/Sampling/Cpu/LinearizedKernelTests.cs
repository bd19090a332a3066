using Ml.Transforms.Devices;
using Ml.Transforms.Sampling;
using Ml.Transforms.Sampling.Cpu;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling.Cpu;

/// <summary>The fused CPU kernels (forward and backward) against the libtorch composition they replace on the CPU.</summary>
[TestClass]
public sealed class LinearizedKernelTests
{
    private static SamplerOptions Seeded(long seed, bool intercept = true) =>
        new() { Generator = new Generator((ulong)seed), AddFittedIntercept = intercept };

    [TestMethod]
    public void FusedKernelEqualsTheLibTorchCompositionWithTheSameNoise()
    {
        // Output rows shorter and longer than a vector (with a tail); an input one pixel wide (no paired reads).
        var shapes = new (long C, long H, long W, long HOut, long WOut)[] { (3, 11, 9, 5, 7), (2, 6, 1, 3, 13) };
        foreach (var (dtype, align, padding) in Grids.Configurations)
        foreach (bool intercept in new[] { true, false })
        foreach (var (c, h, w, hOut, wOut) in shapes)
        {
            using var scope = NewDisposeScope();
            var image = Grids.Image(2, c, h, w, dtype, 81);
            var points = Grids.Random(2, hOut, wOut, dtype, 82, extent: 1.2); // some points and samples outside the image
            var weights = Grids.Image(2, c, hOut, wOut, dtype, 83).Minus(0.5);
            string what = $"{dtype} align {align} {padding} intercept {intercept} input {h}×{w}";

            var (fused, fusedGrid, fusedInput) = Run((i, g) => GridSampler.GridSample(i, g, SamplingMode.Linearized, padding, align, Seeded(84, intercept)));
            var (reference, referenceGrid, referenceInput) = Run((i, g) => LinearizedComposition.Sample(i, g, padding, align, Seeded(84, intercept)));

            // float32: values in [0, 1]; slopes are differences of such values over offsets of ~0.25, solved in float32.
            // One pixel wide, most x offsets (σ ≈ 2) fall beyond |d| ≤ 1: fits near the conditioning limit amplify rounding.
            double tolerance = dtype == ScalarType.Float64 ? 1e-10 : w == 1 ? 2e-3 : 2e-4;
            TensorAssert.Close(reference, fused, tolerance, "value " + what);
            TensorAssert.Close(referenceGrid, fusedGrid, tolerance * Math.Max(1, TensorAssert.MaxAbs(referenceGrid)), "grid gradient " + what);
            TensorAssert.Close(referenceInput, fusedInput, tolerance, "input gradient " + what);
            Assert.IsTrue(TensorAssert.MaxAbs(fusedGrid) > 0.1, "a non-trivial grid gradient " + what);

            (Tensor Value, Tensor GridGradient, Tensor InputGradient) Run(Func<Tensor, Tensor, Tensor> sample)
            {
                var input = image.clone().requires_grad_(true);
                var grid = points.clone().requires_grad_(true);
                var output = sample(input, grid);
                (output * weights).sum().backward();
                return (output.detach(), grid.grad!, input.grad!);
            }
        }
    }

    [TestMethod]
    public void FitEqualsTheCompositionsFit()
    {
        foreach (var dtype in Grids.FloatTypes)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(1, 2, 16, 12, dtype, 85);
            var grid = Grids.Random(1, 6, 4, dtype, 86);
            using var fused = LinearizedSampler.Fit(input, grid, PaddingMode.Reflection, false, Seeded(87));
            using var reference = LinearizedComposition.Fit(input, grid, PaddingMode.Reflection, false, Seeded(87));
            double tolerance = dtype == ScalarType.Float64 ? 1e-10 : 2e-4;
            TensorAssert.Close(reference.Center, fused.Center, tolerance, $"center {dtype}");
            TensorAssert.Close(reference.SlopeX, fused.SlopeX, tolerance * TensorAssert.MaxAbs(reference.SlopeX), $"a {dtype}");
            TensorAssert.Close(reference.SlopeY, fused.SlopeY, tolerance * TensorAssert.MaxAbs(reference.SlopeY), $"b {dtype}");
            TensorAssert.Close(reference.Intercept, fused.Intercept, tolerance, $"c {dtype}");
        }
    }

    [TestMethod]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        // Large enough that the kernels split the work (CpuParallel.SerialWork), with a row width that leaves a tail.
        var image = Grids.Image(4, 3, 40, 44, ScalarType.Float32, 88);
        var points = Grids.Random(4, 30, 29, ScalarType.Float32, 89);
        var previous = CpuParallel.MaxDegreeOfParallelism;
        try
        {
            CpuParallel.MaxDegreeOfParallelism = 1;
            var one = Run();
            CpuParallel.MaxDegreeOfParallelism = 3;
            var three = Run();
            TensorAssert.Equal(one.Value, three.Value, "value");
            TensorAssert.Equal(one.GridGradient, three.GridGradient, "grid gradient");
            TensorAssert.Equal(one.InputGradient, three.InputGradient, "input gradient");
        }
        finally
        {
            CpuParallel.MaxDegreeOfParallelism = previous;
        }

        (Tensor Value, Tensor GridGradient, Tensor InputGradient) Run()
        {
            var input = image.clone().requires_grad_(true);
            var grid = points.clone().requires_grad_(true);
            var output = GridSampler.GridSample(input, grid, SamplingMode.Linearized, PaddingMode.Border, false, Seeded(90));
            output.square().sum().backward();
            return (output.detach(), grid.grad!, input.grad!);
        }
    }

    [TestMethod]
    public void ARetainedGraphBackPropagatesTwiceWithTheSameGradient()
    {
        var input = Grids.Image(2, 3, 10, 12, ScalarType.Float32, 94).requires_grad_(true);
        var grid = Grids.Random(2, 4, 5, ScalarType.Float32, 95).requires_grad_(true);
        var loss = GridSampler.GridSample(input, grid, SamplingMode.Linearized, PaddingMode.Zeros, false, Seeded(96)).square().sum();
        loss.backward(retain_graph: true);
        var (gridOnce, inputOnce) = (grid.grad!.clone(), input.grad!.clone());
        loss.backward();
        TensorAssert.Close(gridOnce.Times(2), grid.grad!, 1e-5, "grid gradient accumulated twice");
        TensorAssert.Close(inputOnce.Times(2), input.grad!, 1e-6, "input gradient accumulated twice");
        Assert.IsTrue(TensorAssert.MaxAbs(gridOnce) > 0.1, "a non-trivial gradient");
    }

    [TestMethod]
    public void AnExpandedBatchGivesWhatItsContiguousCopyGives()
    {
        // The gradient-field experiment samples one image expanded to a batch: the kernel reads it without copying.
        var image = Grids.Image(1, 3, 12, 10, ScalarType.Float32, 91);
        var points = Grids.Random(5, 4, 6, ScalarType.Float32, 92);
        var expanded = Run(image.expand(5, -1, -1, -1));
        var copied = Run(image.expand(5, -1, -1, -1).contiguous());
        TensorAssert.Equal(copied.Value, expanded.Value, "value");
        TensorAssert.Equal(copied.GridGradient, expanded.GridGradient, "grid gradient");

        (Tensor Value, Tensor GridGradient) Run(Tensor input)
        {
            var grid = points.clone().requires_grad_(true);
            var output = GridSampler.GridSample(input, grid, SamplingMode.Linearized, PaddingMode.Zeros, false, Seeded(93));
            output.sum().backward();
            return (output.detach(), grid.grad!);
        }
    }

    [TestMethod]
    public void KernelsRefuseTensorsOfAnotherDtypeBeforeReadingThem()
    {
        // The managed dtype checks run before any memory is read, so a regression fails here instead of corrupting memory.
        var half = zeros(new long[] { 1, 1, 4, 4 }, ScalarType.Float16);
        Assert.ThrowsExactly<ArgumentException>(() => CpuTensorMemory.CheckElementType<float>(half));
        Assert.ThrowsExactly<ArgumentException>(() => CpuTensorMemory.CheckElementType<double>(zeros(4, ScalarType.Float32)));
        var settings = new LinearizedSettings(PaddingMode.Zeros, false, 8, 0.1, 0.1, true, 1);
        var halfGrid = zeros(new long[] { 1, 2, 2, 2 }, ScalarType.Float16);
        var floatOutput = new LinearizedKernel.Outputs(empty(1, 1, 2, 2), null, null, null, null);
        Assert.ThrowsExactly<ArgumentException>(() => LinearizedKernel.Run(half, halfGrid, settings, floatOutput));
        Assert.ThrowsExactly<ArgumentException>(() => LinearizedKernel.Run(half.to(ScalarType.Float32), halfGrid, settings, floatOutput));
        var doubleOutput = new LinearizedKernel.Outputs(empty(1, 1, 2, 2, dtype: ScalarType.Float64), null, null, null, null);
        Assert.ThrowsExactly<ArgumentException>(() => LinearizedKernel.Run(half.to(ScalarType.Float32), halfGrid.to(ScalarType.Float32), settings, doubleOutput));
    }
}
