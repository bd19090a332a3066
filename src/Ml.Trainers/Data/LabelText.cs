using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Data;

/// <summary>The values of a label column of any scalar type (text, key, number, bool) as text, in row order.</summary>
internal static class LabelText
{
    public static IReadOnlyList<string> Read(IDataView data, string columnName)
    {
        var column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(
                $"The data have no label column '{columnName}'. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.", nameof(columnName));
        if (column.Type is VectorDataViewType || column.Type is not (TextDataViewType or KeyDataViewType or NumberDataViewType or BooleanDataViewType))
            throw new ArgumentException(
                $"Label column '{columnName}' has type {column.Type}; expected a scalar: text, a key, a number or a bool.", nameof(columnName));
        var read = typeof(LabelText).GetMethod(nameof(ReadAs), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(column.Type.RawType);
        return (IReadOnlyList<string>)read.Invoke(null, [data, column])!;
    }

    private static List<string> ReadAs<T>(IDataView data, DataViewSchema.Column column)
    {
        var values = new List<string>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        }
        return values;
    }
}
