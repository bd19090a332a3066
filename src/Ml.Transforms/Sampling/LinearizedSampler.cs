using Ml.Transforms.Devices;
using Ml.Transforms.Sampling.Cpu;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Linearized multi-sampling (Jiang, Sun, Tagliasacchi, Trulls, Yi, ICCV 2019). Around each query point p0 it draws
/// K - 1 random auxiliary points, samples all K bilinearly, fits I(p0 + d) - I(p0) ≈ a·dx + b·dy + c by least
/// squares, and uses (a, b) as the gradient to the grid. The input gets exactly bilinear's gradient (through p0 only).
/// On the CPU (float32, float64) one fused kernel does all of it per output pixel and one fused pass the backward
/// (<see cref="LinearizedFunction"/>); elsewhere it is composed from libtorch ops (<see cref="LinearizedComposition"/>).
/// </summary>
internal static class LinearizedSampler
{
    /// <summary>
    /// Forward: bilinear(p0) + c (c detached) with <see cref="SamplerOptions.AddFittedIntercept"/>, else bilinear(p0)
    /// (on the CPU, for an input that needs no gradient, computed by the fused kernel: libtorch's value up to float
    /// rounding). Backward: dL/dp0 =
    /// Σ_c g_c·(a_c, b_c); dL/dinput = bilinear's. When no gradient is needed (grad mode off, or neither tensor
    /// requires grad), or only the input needs one and the intercept is off, no noise is drawn and the result is
    /// exactly libtorch's bilinear(p0). float16 and bfloat16 are computed in float32 and returned in their dtype.
    /// </summary>
    /// <param name="input">(N, C, Hin, Win).</param>
    /// <param name="grid">(N, Hout, Wout, 2), normalized (x, y).</param>
    /// <param name="padding">Padding of every sample.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    /// <param name="options">Sampler settings; null = defaults.</param>
    /// <returns>(N, C, Hout, Wout).</returns>
    public static Tensor Sample(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions? options = null) =>
        GridSampler.GridSample(input, grid, SamplingMode.Linearized, padding, alignCorners, options);

    /// <summary><see cref="Sample"/> for arguments already checked and in float32/float64 (by <see cref="GridSampler.GridSample"/>).</summary>
    internal static Tensor SampleValidated(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        bool needsGradient = is_grad_enabled() && (input.requires_grad || grid.requires_grad);
        if (!needsGradient || (!grid.requires_grad && !options.AddFittedIntercept))
            return LibTorchSampler.Bilinear(input, grid, padding, alignCorners);
        if (input.device_type != TorchSharp.DeviceType.CPU)
            return LinearizedComposition.Sample(input, grid, padding, alignCorners, options);

        // The scope keeps the node's saved tensors alive until autograd holds them (see LinearizedFunction).
        using var scope = NewDisposeScope();
        var settings = LinearizedSettings.Draw(input.shape[2], input.shape[3], grid.shape[1], grid.shape[2], padding, alignCorners, options);
        var detached = input.detach();
        var items = CpuTensorMemory.HasContiguousItems(detached) ? detached : detached.contiguous();
        Tensor output;
        if (!input.requires_grad)
        {
            output = LinearizedFunction.apply(items, grid.contiguous(), settings, true);
        }
        else
        {
            // bilinear(p0) with libtorch's own backward for the input; the node adds c and the grid's gradient.
            var bilinear = LibTorchSampler.Bilinear(input, grid.detach(), padding, alignCorners);
            output = bilinear.Plus(LinearizedFunction.apply(items, grid.contiguous(), settings, false));
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws the auxiliary samples and fits the local plane, without building a graph. Exposed for diagnostics and
    /// tests: with a generator seeded as for <see cref="Sample"/>, it sees the same noise.
    /// </summary>
    /// <param name="input">(N, C, Hin, Win).</param>
    /// <param name="grid">(N, Hout, Wout, 2), normalized (x, y).</param>
    /// <param name="padding">Padding of every sample.</param>
    /// <param name="alignCorners">As in libtorch's <c>grid_sample</c>.</param>
    /// <param name="options">Sampler settings; null = defaults.</param>
    /// <returns>The fit; every tensor (N, C, Hout, Wout), detached, in the input's dtype. Dispose it (or let a dispose scope do so).</returns>
    public static LinearizedFit Fit(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions? options = null)
    {
        SamplingArguments.Validate(input, grid);
        SamplingArguments.CheckFinite(grid, padding);
        options ??= new SamplerOptions();
        options.Validate();
        if (SamplingArguments.IsReducedPrecision(input.dtype))
        {
            using var scope = NewDisposeScope();
            using var fit = Fit(input.to(ScalarType.Float32), grid.to(ScalarType.Float32), padding, alignCorners, options);
            var result = new LinearizedFit(fit.Center.to(input.dtype), fit.SlopeX.to(input.dtype), fit.SlopeY.to(input.dtype), fit.Intercept.to(input.dtype));
            result.Center.MoveToOuterDisposeScope();
            result.SlopeX.MoveToOuterDisposeScope();
            result.SlopeY.MoveToOuterDisposeScope();
            result.Intercept.MoveToOuterDisposeScope();
            return result;
        }
        input = input.detach();
        grid = grid.detach();
        if (input.device_type != TorchSharp.DeviceType.CPU)
            return LinearizedComposition.Fit(input, grid, padding, alignCorners, options);

        using var noGrad = no_grad();
        var settings = LinearizedSettings.Draw(input.shape[2], input.shape[3], grid.shape[1], grid.shape[2], padding, alignCorners, options);
        var shape = new[] { input.shape[0], input.shape[1], grid.shape[1], grid.shape[2] };
        var planes = new LinearizedFit(empty(shape, input.dtype), empty(shape, input.dtype), empty(shape, input.dtype), empty(shape, input.dtype));
        using (var scope = NewDisposeScope())
        {
            var items = CpuTensorMemory.HasContiguousItems(input) ? input : input.contiguous();
            LinearizedKernel.Run(items, grid.contiguous(), settings,
                new LinearizedKernel.Outputs(null, planes.Center, planes.SlopeX, planes.SlopeY, planes.Intercept));
        }
        return planes;
    }
}
