using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Transforms.MlNet;

/// <summary>
/// The rows of a data view read through its own cursors: an ML.NET image column resized and read as bytes by ML.NET's
/// <c>ResizeImages</c> and <c>ExtractPixels</c>, or a float pixel vector as it is. ML.NET cursors only move forward, so
/// the rows asked for are read in the view's order by a few single-threaded cursors at once (<see cref="LazyCursor"/>),
/// each computing the pixels of its share of the rows and stepping over the others (a <c>MoveNext</c>, no decoding).
/// Callers ask for a window of many batches at a time (<see cref="ReadSize"/>), so that a pass over the data costs
/// about 64 such scans whatever its size. The view must give the same rows in the same order on every cursor (every
/// ML.NET loader does, unshuffled).
/// </summary>
internal sealed class CursorPixelSource : PixelSource
{
    /// <summary>Cursors reading at once: one per core, at most 4.</summary>
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>A window's pixels at most, in bytes (the rows of one <see cref="Read"/> are held together).</summary>
    internal const long WindowBytes = 64L << 20;

    /// <summary>Windows per pass at least (fewer scans than this only when a window would exceed <see cref="WindowBytes"/>).</summary>
    internal const int WindowsPerPass = 64;

    private readonly IDataView view;
    private readonly DataViewSchema.Column column;

    public CursorPixelSource(MLContext mlContext, IDataView data, PixelInput input, PixelRowIndex index, string dataName)
        : base(input, index, dataName)
    {
        view = input.IsImage ? input.BytePreprocessing(mlContext).Fit(data).Transform(data) : data;
        column = view.Schema[input.IsImage ? input.BytePixelsColumn : input.PixelsColumn];
    }

    /// <inheritdoc />
    public override int ReadSize(int batchSize)
    {
        long perPass = (Index.Count + WindowsPerPass - 1) / WindowsPerPass;
        long rows = Math.Max(batchSize, Math.Min(perPass, WindowBytes / RowBytes));
        return (int)((rows + batchSize - 1) / batchSize * batchSize);
    }

    /// <inheritdoc />
    public override void Read(int[] rows, int[] slots, int count, byte[] destination, bool[] readable, CancellationToken cancellationToken)
    {
        // The rows in the order of the view's rows; cursor j reads every workers-th of them.
        var byViewRow = Enumerable.Range(0, count).OrderBy(k => Index.SourceRows[rows[k]]).ToArray();
        int workers = Math.Min(Workers, count);
        ForEach(workers, workers, j =>
        {
            if (Bytes)
                ReadShare<byte>(rows, slots, byViewRow, j, workers, destination, readable, cancellationToken);
            else
                ReadShare<float>(rows, slots, byViewRow, j, workers, destination, readable, cancellationToken);
        }, cancellationToken);
    }

    private void ReadShare<T>(int[] rows, int[] slots, int[] byViewRow, int first, int step, byte[] destination, bool[] readable, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int rowBytes = RowBytes;
        // The key is read again with the pixels: a view that gave its rows in another order than when the index was read
        // would otherwise pair images with other rows' labels without a word.
        var keyColumn = Index.KeyColumn is { } keyName ? view.Schema[keyName] : (DataViewSchema.Column?)null;
        using var cursor = LazyCursor.Open(view, keyColumn is { } k0 ? [column, k0] : [column]);
        var getPixels = cursor.GetGetter<VBuffer<T>>(column);
        var getKey = keyColumn is { } k1 ? PixelRowIndex.KeyGetter(cursor, k1) : null;
        VBuffer<T> buffer = default;
        long at = -1;
        for (int i = first; i < byViewRow.Length; i += step)
        {
            int k = byViewRow[i], slot = slots[k];
            long target = Index.SourceRows[rows[k]];
            while (at < target)
            {
                if ((at & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (!cursor.MoveNext())
                    throw new InvalidOperationException(
                        $"The {DataName} now has {at + 1} rows, fewer than the {Index.SourceRowCount} it had when training started: a data view that is read in passes must give the same rows every time it is read.");
                at++;
            }
            if (getKey is not null && (long)getKey() - 1 != Index.Keys[rows[k]])
                throw new InvalidOperationException(
                    $"Row {target} of the {DataName} has another label than it had when training started: a data view that is read in passes must give the same rows in the same order every time it is read " +
                    "(ML.NET's loaders do; an IEnumerable given to LoadFromEnumerable must enumerate in a fixed order, e.g. a database query needs an ORDER BY). Cache it first (mlContext.Data.Cache) or fix its order.");
            try
            {
                getPixels(ref buffer);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException && PixelRows.Undecodable(e))
            {
                throw PixelRows.UndecodableImage(view, DataName, e, target);
            }
            if (buffer.Length != Input.Size)
                throw new InvalidOperationException($"Row {target} of the {DataName} has {buffer.Length} pixel values; expected {Input.Size}.");
            var values = MemoryMarshal.Cast<byte, T>(destination.AsSpan(slot * rowBytes, rowBytes));
            buffer.CopyTo(values);
            if (typeof(T) == typeof(float))
                PixelRows.CheckFinite(MemoryMarshal.Cast<T, float>(values), target, DataName, Input.Name);
            readable[slot] = true;
        }
    }
}
