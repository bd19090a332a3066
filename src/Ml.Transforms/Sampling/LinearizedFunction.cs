using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Linearized sampling on the CPU as one autograd node (TorchSharp's custom <c>autograd.Function</c>): the forward is
/// <see cref="LinearizedKernel"/>, which keeps the fitted slopes (2, N, C, Hout, Wout) for the backward; the backward is
/// <see cref="LinearizedBackwardKernel"/>. Compared with routing the gradient through extra graph ops (value +
/// a·(grid − grid.detach()) + …), nothing but the two fused passes touches the (N, C, Hout, Wout) arrays.
/// Call it inside a dispose scope that outlives <c>apply</c>: the saved tensors must stay alive until autograd has
/// taken its own references to them, which happens after <c>forward</c> returns.
/// </summary>
internal sealed class LinearizedFunction : SingleTensorFunction<LinearizedFunction>
{
    public override string Name => "LinearizedSampling";

    /// <param name="ctx">Autograd context.</param>
    /// <param name="vars">input (N, C, Hin, Win) with contiguous items, grid (N, Hout, Wout, 2) contiguous, <see cref="LinearizedSettings"/>.</param>
    /// <returns>(N, C, Hout, Wout).</returns>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var grid = (Tensor)vars[1];
        var settings = (LinearizedSettings)vars[2];
        long n = input.shape[0], c = input.shape[1], hOut = grid.shape[1], wOut = grid.shape[2];

        var value = empty(new[] { n, c, hOut, wOut }, input.dtype);
        Tensor? slopes = grid.requires_grad ? empty(new[] { 2, n, c, hOut, wOut }, input.dtype) : null;
        LinearizedKernel.Run(input, grid, settings, new LinearizedKernel.Outputs(value, null, slopes?[0], slopes?[1], null));

        ctx.save_for_backward(new List<Tensor> { slopes!, input.requires_grad ? grid : null! });
        ctx.save_data(nameof(LinearizedSettings), settings);
        ctx.save_data("inputShape", input.shape);
        return value;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var settings = (LinearizedSettings)ctx.get_data(nameof(LinearizedSettings));
        var inputShape = (long[])ctx.get_data("inputShape");
        Tensor? slopes = saved[0], grid = saved[1];

        var gridGradient = slopes is null ? null : LinearizedBackwardKernel.GridGradient(grad_output, slopes);
        var inputGradient = grid is null ? null
            : LinearizedBackwardKernel.InputGradient(grad_output, grid, inputShape, settings.Padding, settings.AlignCorners);
        // Autograd reads the returned tensors after this method returns: they must outlive this scope.
        gridGradient?.MoveToOuterDisposeScope();
        inputGradient?.MoveToOuterDisposeScope();
        return new List<Tensor> { inputGradient!, gridGradient!, null! };
    }
}
