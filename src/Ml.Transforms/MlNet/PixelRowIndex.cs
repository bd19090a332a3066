using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Transforms.MlNet;

/// <summary>
/// The rows of a data view that the network reads, found by one pass over its cheap columns only (the key column and,
/// for an input of image paths, the paths; no image is decoded): each kept row's number in the view, its key − 1 and,
/// for paths, its path. Rows whose key is missing (0) are left out, as ML.NET's trainers do. Memory: about 16 bytes a
/// row, plus the paths.
/// </summary>
internal sealed class PixelRowIndex
{
    private PixelRowIndex(long[] sourceRows, long[] keys, string[]? paths, long sourceRowCount, string? keyColumn)
    {
        KeyColumn = keyColumn;
        SourceRows = sourceRows;
        Keys = keys;
        Paths = paths;
        SourceRowCount = sourceRowCount;
    }

    /// <summary>Rows kept.</summary>
    public int Count => SourceRows.Length;

    /// <summary>Each kept row's number in the view (ascending).</summary>
    public long[] SourceRows { get; }

    /// <summary>Each kept row's key − 1 (its class index); 0 without a key column.</summary>
    public long[] Keys { get; }

    /// <summary>Each kept row's image path, for an input of paths; else null.</summary>
    public string[]? Paths { get; }

    /// <summary>The key column the keys were read from, or null when every row was kept without one.</summary>
    public string? KeyColumn { get; }

    /// <summary>Rows in the view, kept or not.</summary>
    public long SourceRowCount { get; }

    /// <summary>Reads the index of <paramref name="data"/> (one cursor over the key and path columns).</summary>
    /// <param name="data">The view (its image columns are not read).</param>
    /// <param name="input">The image input (its path column is read for an input of paths).</param>
    /// <param name="keyColumn">The key column, or null to keep every row.</param>
    /// <param name="dataName">"training data", "validation set"... for messages.</param>
    /// <param name="cancellationToken">Checked every 4,096 rows.</param>
    /// <exception cref="InvalidOperationException">No row has a label (or there are no rows).</exception>
    public static PixelRowIndex Read(IDataView data, PixelInput input, string? keyColumn, string dataName, CancellationToken cancellationToken)
    {
        var columns = new List<DataViewSchema.Column>();
        if (keyColumn is not null) columns.Add(data.Schema[keyColumn]);
        if (input.IsPath) columns.Add(data.Schema[input.Name]);
        var rows = new List<long>();
        var keys = new List<long>();
        var paths = input.IsPath ? new List<string>() : null;
        long row = -1;
        using (var cursor = LazyCursor.Open(data, columns))
        {
            var getKey = keyColumn is null ? null : KeyGetter(cursor, data.Schema[keyColumn]);
            var getPath = input.IsPath ? cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema[input.Name]) : null;
            ReadOnlyMemory<char> path = default;
            while (cursor.MoveNext())
            {
                row++;
                if ((row & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
                ulong key = getKey?.Invoke() ?? 1;
                if (key == 0)
                    continue;
                rows.Add(row);
                keys.Add((long)key - 1);
                if (getPath is not null)
                {
                    getPath(ref path);
                    paths!.Add(path.ToString());
                }
            }
        }
        if (rows.Count == 0)
            throw new InvalidOperationException(
                $"The {dataName} has no rows{(keyColumn is null ? "" : " with a label")}: " +
                (dataName == "validation set" ? "there is nothing to validate on. Give it labelled rows, or leave ValidationSet null." : "there is nothing to train on."));
        return new PixelRowIndex([.. rows], [.. keys], paths?.ToArray(), row + 1, keyColumn);
    }

    /// <summary>The key of the current row as a ulong, whatever the key's storage type (ML.NET's getters need the exact one).</summary>
    public static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
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
