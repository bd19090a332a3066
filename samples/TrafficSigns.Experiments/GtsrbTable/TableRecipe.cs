using Ml.Transforms.Training;
using Ml.Trainers.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>
/// How the table trains (<c>--recipe</c>). <see cref="Adam"/>: the library's recipe (<see cref="TrainingOptions"/>'
/// defaults: Adam, 3e-3 / 3e-4, warm-up and cosine decay). <see cref="Sgd"/>: the IC-STN traffic-sign code's — plain SGD
/// without momentum, batch 100, constant learning rate 1e-2 for the classifier and 1e-3 (STN) / 1e-4 (IC-STN, the value
/// before that code's issue #15 lowered it to 3e-5) for the predictor, every weight and bias drawn from N(0, 0.01)
/// (classifier) and N(0, 0.001) (predictor). Both perturb training and validation images with σ = 0.25 homographies.
/// </summary>
internal sealed record TableRecipe(string Name)
{
    public static TableRecipe Adam { get; } = new("adam");

    public static TableRecipe Sgd { get; } = new("sgd");

    public static TableRecipe Parse(string name) => name.ToLowerInvariant() switch
    {
        "adam" => Adam,
        "sgd" => Sgd,
        _ => throw new ArgumentException($"--recipe: unknown recipe '{name}'; expected adam (the library's) or sgd (the IC-STN code's)."),
    };

    public TrainingOptions Options(int epochs, int seed, ComputeDevice device)
    {
        var options = new TrainingOptions
        {
            Epochs = epochs,
            PerturbationStrength = 0.25,
            PerturbValidation = true,
            KeepBest = true,
            Seed = seed,
            Device = device,
        };
        if (this == Sgd)
        {
            options.Optimizer = TrainingOptimizer.Sgd;
            options.Momentum = 0;
            options.LearningRate = 1e-2;
            options.GeometricLearningRate = null;   // the engine's SGD default: 1e-3 for an STN, 1e-4 for an IC-STN
            options.Schedule = LearningRateSchedule.Constant;
            options.WarmupEpochs = 0;
        }
        return options;
    }

    /// <summary>The recipe's weight initialization (seeded by the caller's <c>manual_seed</c>); the library's own for Adam.</summary>
    public void Initialize(SpatialClassifier model)
    {
        if (this != Sgd)
            return;
        using var noGrad = no_grad();
        // The predictor is the transformer's only module: its parameters are the transformer's; the classifier head's are
        // the rest of the model's, in the model's order.
        var geometric = model.Transformer?.parameters().ToList() ?? [];
        var predictor = geometric.Select(p => p.Handle).ToHashSet();
        foreach (var p in model.parameters().Where(p => !predictor.Contains(p.Handle)))
            p.normal_(0, 0.01);
        foreach (var p in geometric)
            p.normal_(0, 0.001);
    }

    public string Describe(int epochs) => this == Sgd
        ? $"the IC-STN code's recipe: {epochs} epoch(s) of plain SGD (no momentum), batch 100, constant learning rate 1e-2 for the classifier and 1e-3 (STN) / 1e-4 (IC-STN) for the predictor, weights and biases from N(0, 0.01) / N(0, 0.001)"
        : $"the library's recipe: {epochs} epoch(s) of Adam, batch 100, learning rate 3e-3 for the classifier and 3e-4 for the predictor, one epoch of linear warm-up then cosine decay to zero";
}
