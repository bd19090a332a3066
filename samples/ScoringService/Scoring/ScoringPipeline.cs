using Microsoft.ML;
using Microsoft.ML.Data;
using ScoringService.Model;

namespace ScoringService.Scoring;

/// <summary>
/// What a scorer needs of a loaded model: the transformer chain from a decoded image (in <see cref="InputSchema"/>'s
/// one image column) to the outputs, and where the outputs are.
/// </summary>
public sealed class ScoringPipeline : IDisposable
{
    /// <summary>Creates the pipeline.</summary>
    public ScoringPipeline(ITransformer transformer, DataViewSchema inputSchema, ModelColumns columns)
    {
        Transformer = transformer;
        InputSchema = inputSchema;
        Columns = columns;
    }

    /// <summary>Decoded image → Score, PredictedLabel, and the optional Warp and Rectified columns.</summary>
    public ITransformer Transformer { get; }

    /// <summary>One image column, named as the model reads it.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The output columns.</summary>
    public ModelColumns Columns { get; }

    /// <summary>A new engine (not thread-safe: one caller at a time).</summary>
    public ImageEngine CreateEngine() => new(Transformer, InputSchema, Columns);

    /// <summary>Scores <paramref name="images"/> with one <c>Transform</c> over one data view (safe from several threads).</summary>
    public ScoredImage[] Transform(IReadOnlyList<MLImage> images)
    {
        var scored = Transformer.Transform(ImageRows.View(InputSchema, images));
        var results = new ScoredImage[images.Count];
        using var cursor = scored.GetRowCursor(OutputReader.Needed(scored.Schema, Columns));
        var reader = new OutputReader(cursor, Columns);
        int i = 0;
        while (cursor.MoveNext())
            results[i++] = reader.Read();
        if (i != images.Count)
            throw new InvalidOperationException($"The model returned {i} rows for {images.Count} images.");
        return results;
    }

    /// <summary>Disposes the chain's disposable transformers (the ONNX transformer holds an ONNX Runtime session).</summary>
    public void Dispose()
    {
        foreach (var part in Parts(Transformer))
            (part as IDisposable)?.Dispose();
    }

    /// <summary>The transformers of a chain, nested chains flattened, in order.</summary>
    public static IEnumerable<ITransformer> Parts(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Parts) : [transformer];
}
