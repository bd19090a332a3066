using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.MlNet;

/// <summary>Reads preprocessed pixel rows (and optionally a key column) of an <see cref="IDataView"/> into tensors.</summary>
internal static class PixelRows
{
    /// <summary>
    /// Images (N, C, H, W) float32 and, with <paramref name="keyColumn"/>, keys − 1 as int64 (rows whose key is missing,
    /// 0, are skipped, as ML.NET's trainers do). NaN or infinite pixels are an error naming the row.
    /// </summary>
    public static (Tensor Images, Tensor? Keys) Read(IDataView data, PixelInput input, string? keyColumn, string dataName, CancellationToken cancellationToken)
    {
        var pixelColumn = data.Schema[input.PixelsColumn];
        var columns = keyColumn is null ? new[] { pixelColumn } : [pixelColumn, data.Schema[keyColumn]];
        var values = new List<float[]>();
        var keys = new List<long>();
        using (var cursor = data.GetRowCursor(columns))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(pixelColumn);
            var getKey = keyColumn is null ? null : cursor.GetGetter<uint>(data.Schema[keyColumn]);
            VBuffer<float> buffer = default;
            uint key = 0;
            long row = -1;
            while (cursor.MoveNext())
            {
                row++;
                if ((row & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (getKey is not null)
                {
                    getKey(ref key);
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
                keys.Add(key - 1L);
            }
        }
        if (values.Count == 0)
            throw new InvalidOperationException(
                $"The {dataName} has no rows{(keyColumn is null ? "" : " with a label")}: there is nothing to train on.");
        var all = new float[(long)values.Count * input.Size];
        for (int i = 0; i < values.Count; i++)
            values[i].CopyTo(all, (long)i * input.Size);
        var images = tensor(all, [values.Count, input.Channels, input.Height, input.Width]);
        return (images, keyColumn is null ? null : tensor(keys.ToArray()));
    }
}
