namespace ScoringService;

/// <summary>
/// The service's settings: configuration section <c>Scoring</c> (appsettings.json, environment variables
/// <c>Scoring__MaxImageBytes=…</c>, or the command line <c>--Scoring:MaxImageBytes=…</c>); the model path also as
/// <c>--model</c>.
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Scoring";

    /// <summary>The saved model to serve (a model.zip written by <c>mlContext.Model.Save</c> around the STN trainer).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Largest accepted image file, in bytes (default 4 MiB). Larger uploads get 413.</summary>
    public long MaxImageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest accepted batch request body, in bytes (default 32 MiB). Larger requests get 413.</summary>
    public long MaxBatchBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Most images in one <c>/predict/batch</c> request (default 64). More get 413.</summary>
    public int MaxBatchImages { get; set; } = 64;

    /// <summary>
    /// Most pixels (width × height, read from the image header before anything is decoded) in one image (default
    /// 16,777,216 = 4096 × 4096, 64 MiB decoded). A larger image — e.g. a few-KB PNG that claims 20,000 × 20,000 — gets 413.
    /// </summary>
    public long MaxImagePixels { get; set; } = 4096L * 4096;

    /// <summary>How concurrent requests reach the model (default <see cref="ScoringMode.EnginePool"/>; see <see cref="ScoringMode"/>).</summary>
    public ScoringMode Mode { get; set; } = ScoringMode.EnginePool;

    /// <summary>Images scored at the same time (engines in the pool, or micro-batch workers); 0 (default) = one per processor.</summary>
    public int Concurrency { get; set; }

    /// <summary>Most images per micro-batch in <see cref="ScoringMode.MicroBatch"/> (default 32).</summary>
    public int MaxMicroBatch { get; set; } = 32;

    /// <summary>
    /// Threads ONNX Runtime uses inside one scoring call (default 1: requests are scored in parallel instead, and a
    /// per-call thread pool would compete with them for the cores; its threads also sleep rather than spin when idle).
    /// 0 = ONNX Runtime's default (one per core, spinning).
    /// </summary>
    public int OnnxIntraOpThreads { get; set; } = 1;

    /// <summary>Load the model again when its file is replaced (default true); requests in flight finish on the old one.</summary>
    public bool WatchModelFile { get; set; } = true;

    /// <summary>The effective <see cref="Concurrency"/>.</summary>
    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : Environment.ProcessorCount;

    /// <summary>Checks the limits; returns what is wrong, or null.</summary>
    public string? Validate()
    {
        if (MaxImageBytes <= 0) return $"{Section}:MaxImageBytes must be positive (is {MaxImageBytes}).";
        if (MaxBatchBytes < MaxImageBytes) return $"{Section}:MaxBatchBytes ({MaxBatchBytes}) must be at least {Section}:MaxImageBytes ({MaxImageBytes}).";
        if (MaxBatchImages <= 0) return $"{Section}:MaxBatchImages must be positive (is {MaxBatchImages}).";
        if (MaxImagePixels <= 0) return $"{Section}:MaxImagePixels must be positive (is {MaxImagePixels}).";
        if (Concurrency < 0) return $"{Section}:Concurrency must be 0 (one per processor) or positive (is {Concurrency}).";
        if (OnnxIntraOpThreads < 0) return $"{Section}:OnnxIntraOpThreads must be 0 (ONNX Runtime's default) or positive (is {OnnxIntraOpThreads}).";
        if (MaxMicroBatch <= 0) return $"{Section}:MaxMicroBatch must be positive (is {MaxMicroBatch}).";
        if (!Enum.IsDefined(Mode)) return $"{Section}:Mode must be {string.Join(" or ", Enum.GetNames<ScoringMode>())}.";
        return null;
    }
}

/// <summary>
/// How concurrent requests share the model. ML.NET's <c>PredictionEngine</c> is not thread-safe, and
/// Microsoft.Extensions.ML's <c>PredictionEnginePool</c> is not used here; these are the two ways to do it by hand.
/// </summary>
public enum ScoringMode
{
    /// <summary>
    /// A pool of engines (ML.NET's <c>PredictionEngine</c> for an image input; Microsoft.Extensions.ObjectPool), one per
    /// concurrent scorer; each request scores on its own thread with an engine it holds alone. The default: measured
    /// with less CPU per image at every concurrency and more images per second side by side than
    /// <see cref="MicroBatch"/> (docs/performance.md, "Scoring service over HTTP").
    /// </summary>
    EnginePool,

    /// <summary>
    /// Concurrent requests are queued and scored together, up to <see cref="ServiceOptions.MaxMicroBatch"/> at a time,
    /// through the model's <c>Transform</c> on one data view per batch.
    /// </summary>
    MicroBatch,
}
