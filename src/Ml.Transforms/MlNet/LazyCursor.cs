using Microsoft.ML;

namespace Ml.Transforms.MlNet;

/// <summary>
/// A single-threaded row cursor, whose columns are computed only when their getter is called. ML.NET's
/// <c>GetRowCursor</c> over a chain of transforms can split the rows among worker threads that compute every active
/// column of every row ahead of the caller (a consolidating cursor); asking for a cursor set of one gives the plain
/// cursor instead, so that a pass that skips most rows costs a <c>MoveNext</c> per skipped row (measured: about 0.3–0.5 µs
/// through <c>LoadImages</c>, <c>ResizeImages</c> and <c>ExtractPixels</c>), not a decoded image.
/// </summary>
internal static class LazyCursor
{
    /// <summary>A cursor over <paramref name="columns"/> of <paramref name="data"/>, single-threaded where the view allows.</summary>
    public static DataViewRowCursor Open(IDataView data, IEnumerable<DataViewSchema.Column> columns)
    {
        var set = data.GetRowCursorSet(columns, 1);
        if (set.Length == 1)
            return set[0];
        foreach (var cursor in set)
            cursor.Dispose();
        return data.GetRowCursor(columns);
    }
}
