namespace Ml.Transforms.Training;

/// <summary>
/// A progress report of a training loop, sent after every batch (for progress bars) and after every epoch
/// (<see cref="CompletedEpoch"/> set): the one shape of <c>TrainingEngine.Train</c>'s callback,
/// <c>StnImageClassificationOptions.Progress</c> and <c>LearnedAlignmentOptions.Progress</c>.
/// </summary>
/// <param name="Epoch">1-based epoch in progress.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Running mean training loss of this epoch (cross-entropy for a classifier, the masked photometric loss for <c>AlignImages</c>).</param>
/// <param name="Accuracy">Running training accuracy of this epoch; null where there are no labels (<c>AlignImages</c>).</param>
/// <param name="ImagesPerSecond">Running throughput of this epoch.</param>
/// <param name="CompletedEpoch">The epoch's metrics once it is finished (validation included); null for batch reports.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double? Accuracy,
    double ImagesPerSecond,
    EpochMetrics? CompletedEpoch);
