using System.Threading.Channels;
using Microsoft.ML.Data;

namespace ScoringService.Scoring;

/// <summary>
/// <see cref="ScoringMode.MicroBatch"/>: concurrent requests are queued; each of <c>concurrency</c> workers takes what
/// is waiting (up to <c>maxBatch</c> images) and scores it with one <c>Transform</c> over one data view, then hands
/// each request its row. <c>Transform</c> is safe to call from several threads; nothing is shared per row.
/// </summary>
public sealed class MicroBatchScorer : IModelScorer
{
    private readonly ScoringPipeline _pipeline;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Task[] _workers;

    /// <summary>Starts <paramref name="concurrency"/> workers.</summary>
    public MicroBatchScorer(ScoringPipeline pipeline, int concurrency, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _pipeline = pipeline;
        _maxBatch = maxBatch;
        using (var warmUp = WarmUpImage.Create())
            Score([new Pending(warmUp)]);
        _workers = Enumerable.Range(0, concurrency)
            .Select(_ => Task.Factory.StartNew(WorkAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
    }

    /// <inheritdoc />
    public Task<ScoredImage> ScoreAsync(MLImage image, CancellationToken cancellationToken)
    {
        var pending = new Pending(image);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ScoredImage[]> ScoreBatchAsync(IReadOnlyList<MLImage> images, CancellationToken cancellationToken) =>
        await Task.WhenAll(images.Select(i => ScoreAsync(i, cancellationToken))).ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task.WaitAll(_workers, TimeSpan.FromSeconds(30));
    }

    private async Task WorkAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            if (batch.Count > 0)
                Score(batch);
        }
    }

    private void Score(List<Pending> batch)
    {
        try
        {
            var rows = _pipeline.Transform(batch.Select(p => p.Image).ToList());
            for (int i = 0; i < rows.Length; i++)
                batch[i].Result.TrySetResult(rows[i]);
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
                pending.Result.TrySetException(e);
        }
    }

    private sealed class Pending(MLImage image)
    {
        public MLImage Image { get; } = image;

        public TaskCompletionSource<ScoredImage> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
