using ScoringService.Imaging;
using ScoringService.Model;
using ScoringService.Scoring;

namespace ScoringService.Http;

/// <summary>Turns a model's output row into the JSON the service returns.</summary>
public static class PredictionBuilder
{
    /// <summary>Labels listed in <see cref="Prediction.Top"/>.</summary>
    public const int TopCount = 5;

    /// <summary>
    /// The prediction, or null when the model could not score the row (non-finite output; the model, not the image, is
    /// at fault — the pixels of a decoded image are always finite).
    /// </summary>
    public static Prediction? Build(ServedModel model, ScoredImage row, ImageSummary image, bool withRectified,
        int? index = null, string? fileName = null, double? decodeMs = null, double? scoringMs = null)
    {
        var labels = model.Columns.ClassLabels;
        var score = row.Score;
        if (row.PredictedLabel == 0 || row.PredictedLabel > labels.Count || score.Length != labels.Count || !score.All(float.IsFinite))
            return null;
        var top = Enumerable.Range(0, score.Length).OrderByDescending(i => score[i]).ThenBy(i => i).Take(TopCount)
            .Select(i => new LabelProbability(labels[i], score[i])).ToList();
        int predicted = (int)row.PredictedLabel - 1;
        return new Prediction(index, fileName, labels[predicted], score[predicted], top, Warp(model, row),
            withRectified ? Rectified(model, row) : null, image, decodeMs, scoringMs);
    }

    private static WarpParameters Warp(ServedModel model, ScoredImage row) =>
        model.Columns.WarpColumn is null
            ? new WarpParameters(false, model.Network.Warp, null,
                "This model was saved without a warp column (StnImageClassificationOptions.WarpColumnName was null when it was trained); set it, e.g. to \"Warp\", to get the parameters.")
            : new WarpParameters(true, model.Network.Warp, row.Warp, null);

    private static RectifiedView Rectified(ServedModel model, ScoredImage row)
    {
        if (model.Columns.Rectified is not { } size || row.Rectified is null)
            return new RectifiedView(false, null, null, null,
                "This model was saved without a rectified-image column (StnImageClassificationOptions.RectifiedColumnName was null when it was trained), so it cannot show what the classifier saw; set it, e.g. to \"Rectified\" (the TrafficSigns sample's train command does), and train again.");
        return new RectifiedView(true, size.Width, size.Height, Convert.ToBase64String(PlanarPng.Encode(row.Rectified, size.Width, size.Height)), null);
    }
}
