using Microsoft.Extensions.ObjectPool;
using Microsoft.ML.Data;

namespace ScoringService.Scoring;

/// <summary>
/// <see cref="ScoringMode.EnginePool"/>: a pool of engines (<see cref="ImageEngine"/>, ML.NET's <c>PredictionEngine</c>
/// for an image input). An engine keeps per-row buffers and is not thread-safe, so each request borrows one, scores on
/// its own thread, and returns it. At most
/// <c>concurrency</c> images are scored at a time (a semaphore; the others wait without holding a thread), and the pool
/// keeps exactly that many engines, so none is created or dropped under load.
/// </summary>
/// <remarks>
/// Why a pool and not micro-batching through <c>Transform</c>: ML.NET's ONNX transformer runs the graph one row at a
/// time even inside <c>Transform</c>, so batching saves no model work, while it adds a data view, a cursor and the
/// binding of the chain's row mappers per batch, and a hand-off between threads. Measured over HTTP on 2 cores (a
/// 32×32 IC-STN): the pool needed 0.82 vs 2.06 CPU ms per image at 1 concurrent request, 0.60 vs 0.85 at 8, 0.54 vs
/// 0.69 at 32, and served more images per second in every side-by-side pair at 32 (docs/performance.md, "Scoring
/// service over HTTP").
/// </remarks>
public sealed class EnginePoolScorer : IModelScorer
{
    private readonly SemaphoreSlim _slots;
    private readonly ObjectPool<ImageEngine> _engines;
    private readonly int _concurrency;

    /// <summary>Creates the pool and its <paramref name="concurrency"/> engines.</summary>
    public EnginePoolScorer(ScoringPipeline pipeline, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _engines = new DefaultObjectPoolProvider { MaximumRetained = concurrency }.Create(new EnginePolicy(pipeline));
        // Create every engine now (and run each once: ONNX Runtime's first run is slow), so no request pays for it.
        var engines = Enumerable.Range(0, concurrency).Select(_ => _engines.Get()).ToList();
        foreach (var engine in engines)
            _engines.Return(engine);
    }

    /// <inheritdoc />
    public async Task<ScoredImage> ScoreAsync(MLImage image, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var engine = _engines.Get();
        try
        {
            return engine.Predict(image);
        }
        finally
        {
            _engines.Return(engine);
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public async Task<ScoredImage[]> ScoreBatchAsync(IReadOnlyList<MLImage> images, CancellationToken cancellationToken)
    {
        var results = new ScoredImage[images.Count];
        // Contiguous parts, one engine each, so one batch can use every core.
        int parts = Math.Min(_concurrency, images.Count);
        var tasks = new Task[parts];
        for (int p = 0; p < parts; p++)
        {
            int start = p * images.Count / parts, end = (p + 1) * images.Count / parts;
            tasks[p] = Task.Run(async () =>
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var engine = _engines.Get();
                try
                {
                    for (int i = start; i < end; i++)
                        results[i] = engine.Predict(images[i]);
                }
                finally
                {
                    _engines.Return(engine);
                    _slots.Release();
                }
            }, cancellationToken);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        (_engines as IDisposable)?.Dispose();   // DefaultObjectPoolProvider pools IDisposable items in a pool that disposes them
        _slots.Dispose();
    }

    private sealed class EnginePolicy(ScoringPipeline pipeline) : PooledObjectPolicy<ImageEngine>
    {
        public override ImageEngine Create()
        {
            var engine = pipeline.CreateEngine();
            using var warmUp = WarmUpImage.Create();
            engine.Predict(warmUp);
            return engine;
        }

        public override bool Return(ImageEngine obj) => true;
    }
}
