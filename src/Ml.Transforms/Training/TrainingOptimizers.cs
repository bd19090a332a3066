using Ml.Transforms.Checks;
using TorchSharp;
using TorchSharp.Modules;

namespace Ml.Transforms.Training;

/// <summary>
/// The <c>torch.optim</c> update rule of a <see cref="TrainingOptimizer"/>, for every optimizer of the library: the
/// classifier's (<c>TrainingEngine</c>, two groups), the learned alignment's and per-image alignment's
/// (<see cref="Alignment.SpatialAlignment"/>). Adam: β1 = 0.9, β2 = 0.999, ε = 1e-8, decoupled weight decay (AdamW)
/// when there is any; SGD: momentum without dampening or Nesterov, L2 weight decay.
/// </summary>
internal static class TrainingOptimizers
{
    /// <summary>An optimizer over <paramref name="groups"/>, each with its own learning rate (the base a schedule scales).</summary>
    public static OptimizerHelper Create(TrainingOptimizer optimizer, IReadOnlyList<(IEnumerable<Parameter> Parameters, double LearningRate)> groups,
        double momentum = 0, double weightDecay = 0)
    {
        double rate = groups[0].LearningRate;
        return optimizer switch
        {
            TrainingOptimizer.Adam when weightDecay > 0 => torch.optim.AdamW(
                groups.Select(g => new AdamW.ParamGroup(g.Parameters, g.LearningRate, 0.9, 0.999, 1e-8, weightDecay, false, false)), rate),
            TrainingOptimizer.Adam => torch.optim.Adam(
                groups.Select(g => new Adam.ParamGroup(g.Parameters, g.LearningRate, 0.9, 0.999, 1e-8, 0, false, false)), rate),
            TrainingOptimizer.Sgd => torch.optim.SGD(
                groups.Select(g => new SGD.ParamGroup(g.Parameters, g.LearningRate, momentum, 0, weightDecay, false, false)), rate),
            _ => throw UnknownEnum.Value(optimizer, nameof(TrainingOptions.Optimizer)),
        };
    }
}
