using Microsoft.ML;
using Microsoft.ML.Data;
using ScoringService.Model;

namespace ScoringService.Scoring;

/// <summary>
/// What ML.NET's <c>PredictionEngine</c> is, for an image input: the model's row-to-row mapper bound once to an input
/// row, its output getters made once, so that scoring an image is setting the row and calling the getters. Like
/// <c>PredictionEngine</c> it reuses that row and its buffers: NOT thread-safe, one caller at a time.
/// </summary>
public sealed class ImageEngine : IDisposable
{
    private readonly ImageRows.OneAtATime _input;
    private readonly DataViewRow _output;
    private readonly OutputReader _reader;

    /// <summary>Binds <paramref name="transformer"/> to a row of <paramref name="inputSchema"/>.</summary>
    public ImageEngine(ITransformer transformer, DataViewSchema inputSchema, ModelColumns columns)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var mapper = transformer.GetRowToRowMapper(inputSchema);
        _input = new ImageRows.OneAtATime(inputSchema);
        _output = mapper.GetRow(_input, OutputReader.Needed(mapper.OutputSchema, columns));
        _reader = new OutputReader(_output, columns);
    }

    /// <summary>Scores one image.</summary>
    public ScoredImage Predict(MLImage image)
    {
        _input.MoveTo(image);
        return _reader.Read();
    }

    /// <inheritdoc />
    public void Dispose() => _output.Dispose();
}
