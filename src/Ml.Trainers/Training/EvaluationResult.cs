namespace Ml.Trainers.Training;

/// <summary>Loss and accuracy of a model on a labelled set.</summary>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Accuracy">Fraction classified right.</param>
/// <param name="Count">Number of images.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, long Count);
