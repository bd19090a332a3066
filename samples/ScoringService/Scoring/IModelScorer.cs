using Microsoft.ML.Data;

namespace ScoringService.Scoring;

/// <summary>Scores decoded images with one loaded model, safely from any number of concurrent requests.</summary>
public interface IModelScorer : IDisposable
{
    /// <summary>Scores one image.</summary>
    Task<ScoredImage> ScoreAsync(MLImage image, CancellationToken cancellationToken);

    /// <summary>Scores several images; the results are in the order of <paramref name="images"/>.</summary>
    Task<ScoredImage[]> ScoreBatchAsync(IReadOnlyList<MLImage> images, CancellationToken cancellationToken);
}
