using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.MlNet;

/// <summary>The key-typed label column: its class count and the text of its key values (the class names).</summary>
internal sealed record LabelColumn(string Name, int ClassCount, IReadOnlyList<string> ClassLabels)
{
    /// <summary>Checks the label column and reads its key values (or "1".."K" when it has none).</summary>
    public static LabelColumn Resolve(DataViewSchema schema, string name, string dataName)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"The {dataName} has no label column '{name}'. Set LabelColumnName, and map the labels to keys with mlContext.Transforms.Conversion.MapValueToKey. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentException(
                $"Label column '{name}' of the {dataName} has type {column.Type}; expected a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{name}\") before the trainer{(dataName == "training data" ? "" : $", and apply the same fitted mapping to the {dataName}")}.");
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentException($"Label column '{name}' of the {dataName} has {key.Count} classes; a classifier needs at least 2.");
        int count = (int)key.Count;
        return new LabelColumn(name, count, ReadKeyValues(column, count));
    }

    private static IReadOnlyList<string> ReadKeyValues(DataViewSchema.Column column, int count)
    {
        var keyValuesType = column.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType;
        var labels = new List<string>(count);
        if (keyValuesType?.ItemType is TextDataViewType)
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.GetKeyValues(ref values);
            foreach (var v in values.DenseValues()) labels.Add(v.ToString());
        }
        else if (keyValuesType is not null)
        {
            // Numeric or other key values: their text.
            var getter = typeof(LabelColumn).GetMethod(nameof(ReadAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(keyValuesType.ItemType.RawType);
            labels.AddRange((IEnumerable<string>)getter.Invoke(null, [column])!);
        }
        if (labels.Count != count)
        {
            labels.Clear();
            for (int i = 1; i <= count; i++) labels.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return labels;
    }

    private static IEnumerable<string> ReadAsText<T>(DataViewSchema.Column column)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
    }
}
