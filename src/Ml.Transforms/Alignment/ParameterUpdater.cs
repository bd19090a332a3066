using Ml.Transforms.Checks;
using Ml.Transforms.Training;
using static TorchSharp.torch;

namespace Ml.Transforms.Alignment;

/// <summary>
/// SGD or Adam on one leaf tensor, elementwise (so batch rows never mix). Kept by hand rather than through
/// <c>torch.optim</c> so that the learning rate can change every step without optimiser bookkeeping.
/// </summary>
internal sealed class ParameterUpdater : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly TrainingOptimizer _optimizer;
    private readonly Tensor _parameter;
    private readonly Tensor? _firstMoment;
    private readonly Tensor? _secondMoment;
    private int _step;

    public ParameterUpdater(TrainingOptimizer optimizer, Tensor parameter)
    {
        if (!Enum.IsDefined(optimizer))
            throw UnknownEnum.Value(optimizer, nameof(optimizer));
        _optimizer = optimizer;
        _parameter = parameter;
        if (optimizer == TrainingOptimizer.Adam)
        {
            _firstMoment = zeros_like(parameter, requires_grad: false).DetachFromDisposeScope();
            _secondMoment = zeros_like(parameter, requires_grad: false).DetachFromDisposeScope();
        }
    }

    /// <summary>One update from the parameter's accumulated gradient, which it then zeroes.</summary>
    public void Step(double learningRate)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var gradient = _parameter.grad ?? throw new InvalidOperationException("The warp parameters received no gradient.");
        if (_optimizer == TrainingOptimizer.Sgd)
        {
            _parameter.sub_(gradient * learningRate);
        }
        else
        {
            _step++;
            _firstMoment!.mul_(Beta1).add_(gradient * (1 - Beta1));
            _secondMoment!.mul_(Beta2).add_(gradient.square() * (1 - Beta2));
            double correction1 = 1 - Math.Pow(Beta1, _step);
            double correction2 = 1 - Math.Pow(Beta2, _step);
            var denominator = (_secondMoment / correction2).sqrt_().add_(Epsilon);
            _parameter.sub_(_firstMoment / denominator * (learningRate / correction1));
        }
        gradient.zero_();
    }

    public void Dispose()
    {
        _firstMoment?.Dispose();
        _secondMoment?.Dispose();
    }
}
