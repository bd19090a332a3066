namespace TrafficSigns.Training;

/// <summary>One image file ML.NET's <c>LoadImages</c> can read, and its label.</summary>
internal sealed record LabelledImage(string ImagePath, string Label);

/// <summary>
/// What the train command trains on: the three parts, what they are, and where they came from. Made by
/// <see cref="Data.TrafficSignTrainingSet"/> (traffic signs) or <see cref="Data.ImageFolderTrainingSet"/> (your own images).
/// </summary>
/// <param name="Title">The data's name for headings, e.g. "Traffic signs" or the folder's name.</param>
/// <param name="Source">Where the data came from, for the console and summary.md.</param>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Validation images (keep-best, early stopping).</param>
/// <param name="Test">Test images.</param>
/// <param name="SplitDescription">How the parts were made, e.g. "whole tracks per side".</param>
/// <param name="TestName">What the test set is, e.g. "held-out tracks".</param>
/// <param name="Warnings">What the user should know about the split (exact copies on both sides, grouped images split by image); printed and in summary.md.</param>
/// <param name="MedianShorterSide">Your own images: the median of each training-folder image's shorter side in pixels (picks the default input size); null for traffic signs.</param>
internal sealed record TrainingSet(string Title, string Source, IReadOnlyList<LabelledImage> Train, IReadOnlyList<LabelledImage> Validation,
    IReadOnlyList<LabelledImage> Test, string SplitDescription, string TestName, IReadOnlyList<string>? Warnings = null, int? MedianShorterSide = null)
{
    /// <summary>Images in all three parts.</summary>
    public int Count => Train.Count + Validation.Count + Test.Count;

    /// <summary>Distinct labels of the training part.</summary>
    public int LabelCount => Train.Select(i => i.Label).Distinct(StringComparer.Ordinal).Count();

    /// <summary>
    /// Labels none of whose training images could be read when the trainer decoded them (every one of them among
    /// <paramref name="skippedPaths"/>): the model was trained without a single example of them.
    /// </summary>
    public IReadOnlyList<string> LabelsWithoutReadableTrainingImages(IEnumerable<string> skippedPaths)
    {
        var skipped = skippedPaths.ToHashSet(StringComparer.Ordinal);
        return skipped.Count == 0 ? []
            : Train.GroupBy(i => i.Label, StringComparer.Ordinal).Where(g => g.All(i => skipped.Contains(i.ImagePath)))
                .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The warning for <see cref="LabelsWithoutReadableTrainingImages"/>, or null when every label had a readable training image.</summary>
    public string? UnlearnedLabelsWarning(IEnumerable<string> skippedPaths) => LabelsWithoutReadableTrainingImages(skippedPaths) is { Count: > 0 } labels
        ? $"every training image of label(s) {string.Join(", ", labels.Select(l => $"'{l}'"))} was damaged and left out: the model never saw an example of them and will hardly ever predict them. Replace those images and train again."
        : null;
}
