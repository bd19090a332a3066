using Ml.Transforms.Training;

namespace Ml.Trainers.Training;

/// <summary>What <see cref="TrainingEngine.Train"/> did.</summary>
/// <param name="History">Metrics of every epoch, in order.</param>
/// <param name="BestEpoch">Epoch whose weights the model holds now: the best validation epoch with <see cref="TrainingOptions.KeepBest"/>, else the last.</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, int BestEpoch);
