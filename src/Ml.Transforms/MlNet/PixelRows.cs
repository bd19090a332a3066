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
            throw new InvalidDataException(
                $"An image of the {dataName} could not be loaded ({Innermost(e).Message}){FirstUndecodable(data)}. Remove or replace it; " +
                "mlContext.Data.LoadFromImageFolder decodes every image of a folder first and leaves out, and names, the ones it cannot read.", e);
        }
    }

    private static (Tensor Images, Tensor? Keys) ReadRows(IDataView data, PixelInput input, string? keyColumn, string dataName, CancellationToken cancellationToken)
    {
        var pixelColumn = data.Schema[input.PixelsColumn];
        var columns = keyColumn is null ? new[] { pixelColumn } : [pixelColumn, data.Schema[keyColumn]];
        var values = new List<float[]>();
        var keys = new List<long>();
        using (var cursor = data.GetRowCursor(columns))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(pixelColumn);
            var getKey = keyColumn is null ? null : KeyGetter(cursor, data.Schema[keyColumn]);
            VBuffer<float> buffer = default;
            ulong key = 0;
            long row = -1;
            while (cursor.MoveNext())
            {
                row++;
                if ((row & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (getKey is not null)
                {
                    key = getKey();
                    if (key == 0) continue;
                }
                getPixels(ref buffer);
                if (buffer.Length != input.Size)
                    throw new InvalidOperationException($"Row {row} of the {dataName} has {buffer.Length} pixel values; expected {input.Size}.");
                var dense = new float[input.Size];
                buffer.CopyTo(dense);
                for (int i = 0; i < dense.Length; i++)
                    if (!float.IsFinite(dense[i]))
                        throw new InvalidOperationException(
                            $"Row {row} of the {dataName} has a {dense[i]} pixel in column '{input.Name}'. Remove or repair such rows (e.g. mlContext.Data.FilterRowsByMissingValues) first.");
                values.Add(dense);
                keys.Add((long)key - 1);
            }
        }
        if (values.Count == 0)
            throw new InvalidOperationException(
                $"The {dataName} has no rows{(keyColumn is null ? "" : " with a label")}: " +
                (dataName == "validation set" ? "there is nothing to validate on. Give it labelled rows, or leave ValidationSet null." : "there is nothing to train on."));
        var all = new float[(long)values.Count * input.Size];
        for (int i = 0; i < values.Count; i++)
            values[i].CopyTo(all, (long)i * input.Size);
        var images = tensor(all, [values.Count, input.Channels, input.Height, input.Width]);
        return (images, keyColumn is null ? null : tensor(keys.ToArray()));
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static bool Undecodable(Exception e) =>
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

    /// <summary>The key of the current row as a ulong, whatever the key's storage type (ML.NET's getters need the exact one).</summary>
    private static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type.RawType)
        {
            case var t when t == typeof(byte):
                var getByte = cursor.GetGetter<byte>(column);
                return () => { byte v = 0; getByte(ref v); return v; };
            case var t when t == typeof(ushort):
                var getUShort = cursor.GetGetter<ushort>(column);
                return () => { ushort v = 0; getUShort(ref v); return v; };
            case var t when t == typeof(uint):
                var getUInt = cursor.GetGetter<uint>(column);
                return () => { uint v = 0; getUInt(ref v); return v; };
            case var t when t == typeof(ulong):
                var getULong = cursor.GetGetter<ulong>(column);
                return () => { ulong v = 0; getULong(ref v); return v; };
            default:
                throw new ArgumentException($"Key column '{column.Name}' is stored as {column.Type.RawType.Name}; ML.NET keys are byte, ushort, uint or ulong.");
        }
    }
}
