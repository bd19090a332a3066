using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace ScoringService.Scoring;

/// <summary>
/// Decoded images as ML.NET rows: one image column of ANY size, named after the model's image column (decided when
/// the model is loaded). ML.NET's own route takes the column from a class, whose image member declares one fixed size
/// (<c>[ImageType(height, width)]</c>); given an any-size image column through a <c>SchemaDefinition</c>, ML.NET 5.0.1's
/// <c>CreatePredictionEngine</c> refused it ("Type 'Microsoft.ML.Data.MLImage' is not yet supported"). A row and a data
/// view of the service's own take any image, and the model's chain is bound to them as <c>PredictionEngine</c> binds it.
/// </summary>
public static class ImageRows
{
    /// <summary>A schema with one image column (of any size) named <paramref name="imageColumn"/>.</summary>
    public static DataViewSchema Schema(string imageColumn)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(imageColumn, new ImageDataViewType());
        return builder.ToSchema();
    }

    /// <summary>An empty data view with that schema (to fit and check transformers).</summary>
    public static IDataView Empty(string imageColumn) => new ListView(Schema(imageColumn), []);

    /// <summary>A data view over <paramref name="images"/>, in order.</summary>
    public static IDataView View(DataViewSchema schema, IReadOnlyList<MLImage> images) => new ListView(schema, images);

    /// <summary>A getter of the image column that returns <paramref name="current"/>()'s image.</summary>
    private static ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column, Func<MLImage> current)
    {
        if (column.Index != 0 || typeof(TValue) != typeof(MLImage))
            throw new InvalidOperationException($"Column '{column.Name}' of type {typeof(TValue).Name} is not this row's image column.");
        ValueGetter<MLImage> getter = (ref MLImage value) => value = current();
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    /// <summary>The input row of an engine: one image at a time, its position advanced for each (ML.NET's transformers cache per position).</summary>
    public sealed class OneAtATime(DataViewSchema schema) : DataViewRow
    {
        private long _position = -1;
        private MLImage? _image;

        /// <inheritdoc />
        public override DataViewSchema Schema { get; } = schema;

        /// <inheritdoc />
        public override long Position => _position;

        /// <inheritdoc />
        public override long Batch => 0;

        /// <summary>Moves to the next row, holding <paramref name="image"/>.</summary>
        public void MoveTo(MLImage image)
        {
            _image = image;
            _position++;
        }

        /// <inheritdoc />
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            Getter<TValue>(column, () => _image ?? throw new InvalidOperationException("No image yet."));

        /// <inheritdoc />
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        /// <inheritdoc />
        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0;
    }

    private sealed class ListView(DataViewSchema schema, IReadOnlyList<MLImage> images) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema { get; } = schema;

        public long? GetRowCount() => images.Count;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(Schema, images);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

        private sealed class Cursor(DataViewSchema schema, IReadOnlyList<MLImage> images) : DataViewRowCursor
        {
            private long _position = -1;

            public override DataViewSchema Schema { get; } = schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool MoveNext() => ++_position < images.Count;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Getter<TValue>(column, () => images[(int)_position]);

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0;
        }
    }
}
