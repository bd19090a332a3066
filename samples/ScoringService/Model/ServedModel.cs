using Ml.Trainers.Export;
using ScoringService.Scoring;

namespace ScoringService.Model;

/// <summary>
/// A loaded model and its scorer, with what the service says about it. Reference-counted: the holder keeps one
/// reference while the model is current and each request takes one (<see cref="ModelLease"/>); after a hot reload the
/// old model is disposed when its last request has finished.
/// </summary>
public sealed class ServedModel
{
    private int _references = 1;

    internal ServedModel(string path, string fileSha256, StnOnnxGraphDescription graph, ModelColumns columns, ScoringPipeline pipeline,
        IModelScorer scorer, ScoringMode mode, int concurrency)
    {
        Pipeline = pipeline;
        Path = path;
        FileSha256 = fileSha256;
        Graph = graph;
        Columns = columns;
        Scorer = scorer;
        Mode = mode;
        Concurrency = concurrency;
        Network = NetworkSummary.Parse(graph.Summary);
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The model file, full path.</summary>
    public string Path { get; }

    /// <summary>SHA-256 of the whole model file (lower-case hex).</summary>
    public string FileSha256 { get; }

    /// <summary>The STN graph's description (input size, classes, tensors, the graph's SHA-256).</summary>
    public StnOnnxGraphDescription Graph { get; }

    /// <summary>The model's columns and class labels.</summary>
    public ModelColumns Columns { get; }

    /// <summary>Architecture, warp, training sampler, downsampling.</summary>
    public NetworkSummary Network { get; }

    /// <summary>The ML.NET chain from a decoded image to the outputs.</summary>
    public ScoringPipeline Pipeline { get; }

    /// <summary>Scores images with this model.</summary>
    public IModelScorer Scorer { get; }

    /// <summary>How concurrent requests share the model.</summary>
    public ScoringMode Mode { get; }

    /// <summary>Images scored at the same time.</summary>
    public int Concurrency { get; }

    /// <summary>When the model was loaded (UTC).</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Takes a reference unless the model is already released; false when it is.</summary>
    internal bool TryAddReference()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current == 0)
                return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
                return true;
        }
    }

    /// <summary>Drops a reference; the last one disposes the scorer and the model's ONNX Runtime session.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Scorer.Dispose();
            Pipeline.Dispose();
        }
    }
}
