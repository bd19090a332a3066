using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers;

namespace TrafficSigns.Commands;

/// <summary>A model zip saved by any pipeline around the STN trainer: loading it with plain errors, and finding its columns.</summary>
internal static class SavedModel
{
    /// <summary>
    /// Checks <paramref name="path"/> (every zip entry's CRC-32 and the graph's recorded SHA-256: ML.NET's Load checks
    /// neither, and loads a damaged model that scores differently), then loads it; a file that is not an ML.NET model
    /// gets a message saying so (ML.NET's own is a stack of zip errors).
    /// </summary>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        try
        {
            StnModelFile.Verify(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"--model: {e.Message}");
        }
        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"--model: '{path}' is not an ML.NET model this program can load ({e.GetType().Name}: {e.Message}). Give the model.zip that train wrote.", e);
        }
    }

    /// <summary>The model's image-path input: "ImagePath", else its one text input column that is not "Label".</summary>
    public static string ImagePathColumn(DataViewSchema inputSchema, string path)
    {
        if (inputSchema.GetColumnOrNull("ImagePath") is { Type: TextDataViewType })
            return "ImagePath";
        var text = inputSchema.Where(c => c.Type is TextDataViewType && c.Name != "Label").Select(c => c.Name).ToList();
        return text.Count == 1 ? text[0]
            : throw new InvalidDataException(
                $"--model: '{path}' takes the input columns {string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})"))}; expected one text column with the image path (as train saves it: ImagePath).");
    }

    /// <summary>The predicted-label key column ("PredictedLabel") and the labels its keys stand for.</summary>
    public static (string Column, IReadOnlyList<string> Labels) PredictedLabel(DataViewSchema scored, string path)
    {
        var column = scored.GetColumnOrNull("PredictedLabel");
        if (column is not { Type: KeyDataViewType } || scored.GetColumnOrNull("Score") is not { Type: VectorDataViewType })
            throw new InvalidDataException(
                $"--model: '{path}' gives the columns {string.Join(", ", scored.Select(c => c.Name))}; expected a classifier's Score and PredictedLabel (key) columns, as the STN trainer writes them.");
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Value.GetKeyValues(ref names);
        return ("PredictedLabel", names.DenseValues().Select(n => n.ToString()).ToList());
    }
}
