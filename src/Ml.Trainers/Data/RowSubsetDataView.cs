using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Data;

/// <summary>
/// The rows of a source data view whose entry in <c>parts</c> is <c>part</c>, in source order, with the source's
/// schema. ML.NET data views are read again on every cursor, so the source must give the same rows in the same order
/// each time (every loader does, unshuffled).
/// </summary>
internal sealed class RowSubsetDataView : IDataView
{
    private readonly IDataView source;
    private readonly byte[] parts;
    private readonly byte part;
    private readonly long count;

    public RowSubsetDataView(IDataView source, byte[] parts, byte part)
    {
        this.source = source;
        this.parts = parts;
        this.part = part;
        count = parts.LongCount(p => p == part);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(source.GetRowCursor(columnsNeeded), parts, part);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor inner, byte[] parts, byte part) : DataViewRowCursor
    {
        private long position = -1;
        private long sourceRow = -1;

        public override DataViewSchema Schema => inner.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            while (inner.MoveNext())
            {
                sourceRow++;
                if (sourceRow >= parts.LongLength)
                    throw new InvalidOperationException(
                        $"The data view that was split now has more than the {parts.LongLength} rows it had when it was split; split data that gives the same rows every time it is read.");
                if (parts[sourceRow] == part)
                {
                    position++;
                    return true;
                }
            }
            return false;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
