using Microsoft.ML;
using Microsoft.ML.Data;
using ScoringService.Model;

namespace ScoringService.Scoring;

/// <summary>Reads the model's output columns of the current row of <paramref name="row"/> into a <see cref="ScoredImage"/>.</summary>
public sealed class OutputReader
{
    private readonly ValueGetter<VBuffer<float>> _score;
    private readonly ValueGetter<uint> _predictedLabel;
    private readonly ValueGetter<VBuffer<float>>? _warp;
    private readonly ValueGetter<VBuffer<float>>? _rectified;

    /// <summary>Makes the getters (once per row or cursor).</summary>
    public OutputReader(DataViewRow row, ModelColumns columns)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(columns);
        _score = row.GetGetter<VBuffer<float>>(row.Schema[columns.ScoreColumn]);
        _predictedLabel = row.GetGetter<uint>(row.Schema[columns.PredictedLabelColumn]);
        _warp = columns.WarpColumn is { } warp ? row.GetGetter<VBuffer<float>>(row.Schema[warp]) : null;
        _rectified = columns.RectifiedColumn is { } rectified ? row.GetGetter<VBuffer<float>>(row.Schema[rectified]) : null;
    }

    /// <summary>The columns a reader needs active in the output.</summary>
    public static IEnumerable<DataViewSchema.Column> Needed(DataViewSchema output, ModelColumns columns) =>
        new[] { columns.ScoreColumn, columns.PredictedLabelColumn, columns.WarpColumn, columns.RectifiedColumn }
            .OfType<string>().Select(name => output[name]);

    /// <summary>The current row's values (new arrays: nothing is shared between rows).</summary>
    public ScoredImage Read()
    {
        uint key = 0;
        _predictedLabel(ref key);
        return new ScoredImage
        {
            Score = Values(_score)!,
            PredictedLabel = key,
            Warp = Values(_warp),
            Rectified = Values(_rectified),
        };
    }

    private static float[]? Values(ValueGetter<VBuffer<float>>? getter)
    {
        if (getter is null)
            return null;
        VBuffer<float> buffer = default;
        getter(ref buffer);
        return buffer.DenseValues().ToArray();
    }
}
