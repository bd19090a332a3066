using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.MlNet;

/// <summary>
/// Builds the trainer's output <see cref="SchemaShape"/>. ML.NET offers no public constructor for schema-shape columns, so
/// they are taken from the output shape of a (never fitted) CustomMapping estimator whose output type has exactly the
/// columns the trained model adds.
/// </summary>
internal static class OutputSchemaShape
{
    private const string UnusedPrefix = "\u0001StnUnused";

    public static SchemaShape Add(MLContext mlContext, SchemaShape input, StnImageClassificationOptions options)
    {
        var definition = SchemaDefinition.Create(typeof(Columns));
        definition[nameof(Columns.Score)].ColumnName = options.ScoreColumnName;
        definition[nameof(Columns.PredictedLabel)].ColumnName = options.PredictedLabelColumnName;
        definition[nameof(Columns.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), int.MaxValue);
        // The trained model's key carries the class names (so MapKeyToValue can follow); only the kind matters in a shape.
        var names = new VBuffer<ReadOnlyMemory<char>>(1, [ReadOnlyMemory<char>.Empty]);
        definition[nameof(Columns.PredictedLabel)].AddAnnotation("KeyValues", names, new VectorDataViewType(TextDataViewType.Instance, 1));
        // Unused optional columns get names no user column has, so they cannot be mistaken for one below.
        definition[nameof(Columns.Warp)].ColumnName = options.WarpColumnName ?? UnusedPrefix + nameof(Columns.Warp);
        definition[nameof(Columns.Rectified)].ColumnName = options.RectifiedColumnName ?? UnusedPrefix + nameof(Columns.Rectified);
        var estimator = mlContext.Transforms.CustomMapping<NoColumns, Columns>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        var added = estimator.GetOutputSchema(new SchemaShape([]))
            .Where(c => c.Name == options.ScoreColumnName || c.Name == options.PredictedLabelColumnName
                || options.WarpColumnName is not null && c.Name == options.WarpColumnName
                || options.RectifiedColumnName is not null && c.Name == options.RectifiedColumnName)
            .ToList();
        var addedNames = added.Select(c => c.Name).ToHashSet();
        return new SchemaShape(input.Where(c => !addedNames.Contains(c.Name)).Concat(added));
    }

    private sealed class NoColumns
    {
    }

    private sealed class Columns
    {
        [VectorType] public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
        [VectorType] public float[] Warp { get; set; } = [];
        [VectorType] public float[] Rectified { get; set; } = [];
    }
}
