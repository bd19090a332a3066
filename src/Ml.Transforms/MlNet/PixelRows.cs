using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.MlNet;

/// <summary>Reads preprocessed pixel rows (and optionally a key column) of an <see cref="IDataView"/> into tensors.</summary>
internal static class PixelRows
{
    /// <summary>
    /// Images (N, C, H, W) float32 and, with <paramref name="keyColumn"/>, keys − 1 as int64 (rows whose key is missing,
    /// 0, are skipped, as ML.NET's trainers do). Keys of every width ML.NET allows (byte, ushort, uint, ulong) are read.
    /// NaN or infinite pixels are an error naming the row.
    /// </summary>
    public static (Tensor Images, Tensor? Keys) Read(IDataView data, PixelInput input, string? keyColumn, string dataName, CancellationToken cancellationToken)
    {
        try
        {
            return ReadRows(data, input, keyColumn, dataName, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException && input.IsImage && Undecodable(e))
        {
            // ML.NET's LoadImages fails with "Invalid input stream contents (Parameter 'imageStream')" (or "Invalid path"),
            // often from a worker thread, naming no file: find the file when the data say where the images are.
            throw UndecodableImage(data, dataName, e);
        }
    }

    private static (Tensor Images, Tensor? Keys) ReadRows(IDataView data, PixelInput input, string? keyColumn, string dataName, CancellationToken cancellationToken)
    {
        // The rows first (a pass over the key column only), so that the pixels go straight into one tensor.
        var index = PixelRowIndex.Read(data, input, keyColumn, dataName, cancellationToken);
        var images = empty([index.Count, input.Channels, input.Height, input.Width], ScalarType.Float32);
        var pixels = images.data<float>();
        var pixelColumn = data.Schema[input.PixelsColumn];
        var columns = keyColumn is null ? new[] { pixelColumn } : [pixelColumn, data.Schema[keyColumn]];
        using (var cursor = data.GetRowCursor(columns))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(pixelColumn);
            var dense = new float[input.Size];
            VBuffer<float> buffer = default;
            long row = -1;
            int kept = 0;
            while (cursor.MoveNext() && kept < index.Count)
            {
                row++;
                if ((row & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (index.SourceRows[kept] != row)
                    continue;
                getPixels(ref buffer);
                if (buffer.Length != input.Size)
                    throw new InvalidOperationException($"Row {row} of the {dataName} has {buffer.Length} pixel values; expected {input.Size}.");
                buffer.CopyTo(dense);
                CheckFinite(dense, row, dataName, input.Name);
                pixels.CopyFrom(dense, 0, (long)kept * input.Size);
                kept++;
            }
            if (kept < index.Count)
                throw new InvalidOperationException($"The {dataName} gave fewer rows on its second read ({row + 1}) than on its first ({index.SourceRowCount}); give data that gives the same rows every time it is read.");
        }
        return (images, keyColumn is null ? null : tensor(index.Keys));
    }

    /// <summary>Throws, naming the row and the column, when a pixel value is NaN or infinite.</summary>
    public static void CheckFinite(ReadOnlySpan<float> values, long row, string dataName, string columnName)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Row {row} of the {dataName} has a {values[i]} pixel in column '{columnName}'. Remove or repair such rows (e.g. mlContext.Data.FilterRowsByMissingValues) first.");
    }

    /// <summary>
    /// The error for an image ML.NET's <c>LoadImages</c> could not load while the pixels of <paramref name="data"/> were
    /// read: names row <paramref name="row"/> when known, and the file when the data say where the images are.
    /// </summary>
    public static InvalidDataException UndecodableImage(IDataView data, string dataName, Exception e, long? row = null) =>
        new($"An image of the {dataName} could not be loaded ({Innermost(e).Message}){(row is { } r ? $" at row {r}" : "")}{FirstUndecodable(data)}. Remove or replace it; " +
            "mlContext.Data.LoadFromImageFolder leaves out, and names, the files it cannot read, and the trainer reads a column of image paths itself, leaving out and naming the files it cannot decode.", e);

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>Whether <paramref name="e"/> is ML.NET's failure to load an image ("Invalid input stream contents", "Invalid path").</summary>
    public static bool Undecodable(Exception e) =>
        Innermost(e).Message.Contains("imageStream", StringComparison.Ordinal) || Innermost(e).Message.StartsWith("Invalid path", StringComparison.Ordinal);

    /// <summary>
    /// ": row R, 'path': why" for the first image of an "ImagePath" text column that ML.NET's decoder fails on (the one
    /// LoadImages stopped at; the reason from the strict decoder); "" when there is no such column or file.
    /// </summary>
    private static string FirstUndecodable(IDataView data)
    {
        if (data.Schema.GetColumnOrNull("ImagePath") is not { Type: TextDataViewType } column)
            return "";
        using var cursor = data.GetRowCursor([column]);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> path = default;
        for (long row = 0; cursor.MoveNext(); row++)
        {
            getPath(ref path);
            if (path.IsEmpty || !File.Exists(path.ToString()))
                continue;   // relative to LoadImages' folder, or missing: ML.NET names a missing file itself
            try
            {
                using var loaded = MLImage.CreateFromFile(path.ToString());
                continue;   // ML.NET reads it (a truncated file, half): not the file LoadImages failed on
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
            }
            try
            {
                using var image = Imaging.ImageDecoder.Decode(path.ToString());
            }
            catch (InvalidDataException bad)
            {
                return $": row {row}, {bad.Message.TrimEnd('.')}";
            }
        }
        return "";
    }
}
