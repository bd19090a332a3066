namespace ScoringService.Model;

/// <summary>Where a loaded model reads its image and writes its outputs, and its class labels.</summary>
/// <param name="Input">"image" (the chain resizes and reads an ML.NET image) or "pixel-vector" (the service makes the vector the model reads).</param>
/// <param name="ImageColumn">The column the decoded image goes into.</param>
/// <param name="ScoreColumn">The probabilities column.</param>
/// <param name="PredictedLabelColumn">The predicted key column.</param>
/// <param name="ClassLabels">The class labels in key order (slot i of the scores is key i + 1).</param>
/// <param name="WarpColumn">The warp-parameter column, or null when the model was saved without one.</param>
/// <param name="WarpParameters">Values in the warp column.</param>
/// <param name="RectifiedColumn">The rectified-image column, or null when the model was saved without one.</param>
/// <param name="Rectified">The rectified image's size.</param>
public sealed record ModelColumns(string Input, string ImageColumn, string ScoreColumn, string PredictedLabelColumn, IReadOnlyList<string> ClassLabels,
    string? WarpColumn, int? WarpParameters, string? RectifiedColumn, RectifiedSize? Rectified);
