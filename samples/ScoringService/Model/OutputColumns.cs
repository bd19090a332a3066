using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Ml.Trainers.Export;

namespace ScoringService.Model;

/// <summary>Finds a model's output columns (score, predicted key, optional warp and rectified image) and checks them against its graph.</summary>
public static class OutputColumns
{
    private const string WarpKey = "mllinearized.output.warp";
    private const string RectifiedKey = "mllinearized.output.rectified";

    /// <summary>Finds the output columns and checks them against the graph's description.</summary>
    public static ModelColumns Find(DataViewSchema output, StnOnnxGraphDescription description, byte[] onnxModel, string imageColumn, string path)
    {
        string scoreColumn = description.Outputs[0].Name;
        if (output.GetColumnOrNull(scoreColumn) is not { Type: VectorDataViewType { ItemType: NumberDataViewType } })
            throw new ModelLoadException($"'{path}': the model's output has no score column '{scoreColumn}' (columns: {string.Join(", ", output.Select(c => c.Name))}).");

        // The predicted-label key column: the one whose key values are the graph's classes ("PredictedLabel" by default).
        var keyColumns = output.Where(c => c.Type is KeyDataViewType && KeyValues(c).SequenceEqual(description.ClassLabels)).ToList();
        var predicted = keyColumns.FirstOrDefault(c => c.Name == "PredictedLabel") is { Name: not null } named ? named
            : keyColumns.Count > 0 ? keyColumns[^1]
            : throw new ModelLoadException($"'{path}': the model's output has no predicted-label key column over its {description.ClassLabels.Count} classes (columns: {string.Join(", ", output.Select(c => c.Name))}).");

        // Which optional outputs the graph has: its metadata names them (keys mllinearized.output.*).
        IReadOnlyDictionary<string, string> metadata;
        using (var session = new InferenceSession(onnxModel))
            metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap);
        string? warp = metadata.GetValueOrDefault(WarpKey);
        string? rectified = metadata.GetValueOrDefault(RectifiedKey);
        int? warpSize = warp is null ? null : VectorSize(output, warp, path);
        RectifiedSize? rectifiedSize = null;
        if (rectified is not null)
        {
            int size = VectorSize(output, rectified, path);
            rectifiedSize = RectifiedSize.Of(size, description.Width, description.Height)
                ?? throw new ModelLoadException($"'{path}': the rectified column '{rectified}' holds {size} values, not an RGB image.");
        }
        return new ModelColumns(description.InputIsImage ? "image" : "pixel-vector", imageColumn, scoreColumn, predicted.Name, KeyValues(predicted),
            warp, warpSize, rectified, rectifiedSize);
    }

    private static int VectorSize(DataViewSchema schema, string column, string path) =>
        schema.GetColumnOrNull(column) is { Type: VectorDataViewType { IsKnownSize: true } vector }
            ? vector.Size
            : throw new ModelLoadException($"'{path}': the graph names the output '{column}' but the model's chain gives no such fixed-size vector column.");

    private static List<string> KeyValues(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
            return [];
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToList();
    }
}
