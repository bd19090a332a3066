namespace Ml.Transforms.Training;

/// <summary>Metrics of one finished epoch of a training loop: the classifier's and the learned alignment's.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">
/// Mean training loss over the epoch's batches (weights changing meanwhile): cross-entropy for a classifier, the masked
/// photometric loss for <c>AlignImages</c>.
/// </param>
/// <param name="TrainingAccuracy">Fraction of training images classified right during the epoch; null where there are no labels (<c>AlignImages</c>).</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation set after the epoch; null without validation data.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch; null without validation data.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch (validation excluded).</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double? TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double ImagesPerSecond,
    TimeSpan Elapsed);
