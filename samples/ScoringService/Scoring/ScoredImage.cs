namespace ScoringService.Scoring;

/// <summary>One row out of the model (read from the model's own columns by <see cref="OutputReader"/>).</summary>
public sealed class ScoredImage
{
    /// <summary>Softmax probabilities; slot i is the class with key i + 1.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>The predicted class key (1-based; 0 = the model could not score the row).</summary>
    public uint PredictedLabel { get; set; }

    /// <summary>The final warp parameters, when the model was saved with a warp column.</summary>
    public float[]? Warp { get; set; }

    /// <summary>What the classifier saw (R, G, B planes in [0, 1]), when the model was saved with a rectified column.</summary>
    public float[]? Rectified { get; set; }
}
