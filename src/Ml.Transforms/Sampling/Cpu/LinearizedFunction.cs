using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// Linearized sampling on the CPU as one autograd node of the grid (TorchSharp's custom <c>autograd.Function</c>): the
/// forward is <see cref="LinearizedKernel"/>, which keeps the fitted slopes (2, N, C, Hout, Wout) for the backward; the
/// backward is <see cref="LinearizedBackwardKernel.GridGradient"/>. Nothing but the two fused passes touches the
/// (N, C, Hout, Wout) arrays. The slopes are a libtorch tensor saved with the node (<c>save_for_backward</c>), so
/// autograd frees them with the graph and a retained graph can back-propagate again. (A managed array per call, tried
/// first, made large-object-heap allocations and so background GCs frequent enough that TorchSharp's temporary
/// <c>Scalar</c>s were finalized while libtorch still read them: "Unknown scalar type" in unrelated ops.)
/// The input is read, never differentiated: a caller whose input needs its gradient adds
/// libtorch's own bilinear sample of it (<see cref="LinearizedSampler"/>), whose backward is bilinear's input gradient
/// and whose result autograd can keep without a copy (a gradient handed back from a TorchSharp function is still
/// referenced by its managed wrapper, so autograd would copy it into a leaf's <c>.grad</c>).
/// Call it inside a dispose scope that outlives <c>apply</c>: the saved tensors must stay alive until autograd has
/// taken its own references to them, which happens after <c>forward</c> returns.
/// </summary>
internal sealed class LinearizedFunction : SingleTensorFunction<LinearizedFunction>
{
    public override string Name => "LinearizedSampling";

    /// <param name="ctx">Autograd context.</param>
    /// <param name="vars">
    /// input (N, C, Hin, Win) with contiguous items, not requiring a gradient; grid (N, Hout, Wout, 2) contiguous;
    /// <see cref="LinearizedSettings"/>; and whether the value includes bilinear(p0) (else only the intercept term).
    /// </param>
    /// <returns>(N, C, Hout, Wout).</returns>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var grid = (Tensor)vars[1];
        var settings = (LinearizedSettings)vars[2];
        bool withCenter = (bool)vars[3];
        long n = input.shape[0], c = input.shape[1], hOut = grid.shape[1], wOut = grid.shape[2];

        var value = empty(new[] { n, c, hOut, wOut }, input.dtype);
        var slopes = grid.requires_grad && value.numel() > 0 ? empty(new[] { 2, n, c, hOut, wOut }, input.dtype) : null;
        LinearizedKernel.Run(input, grid, settings, new LinearizedKernel.Outputs(value, null, slopes?[0], slopes?[1], null, withCenter));
        ctx.save_data("hasSlopes", slopes is not null);
        if (slopes is not null)
            ctx.save_for_backward(new List<Tensor> { slopes });
        return value;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        using var scope = NewDisposeScope();
        var gridGradient = (bool)ctx.get_data("hasSlopes")
            ? LinearizedBackwardKernel.GridGradient(grad_output, ctx.get_saved_variables()[0])
            : null;
        // Autograd reads the returned tensor after this method returns: it must outlive this scope.
        gridGradient?.MoveToOuterDisposeScope();
        return new List<Tensor> { null!, gridGradient!, null!, null! };
    }
}
