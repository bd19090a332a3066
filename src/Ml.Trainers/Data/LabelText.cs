using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Data;

/// <summary>
/// The values of a label (or group) column of any scalar type (text, key, number, bool) as text, in row order; null where
/// the row has none, as ML.NET counts missing: empty (or blank) text, a NaN number, the key 0.
/// </summary>
internal static class LabelText
{
    /// <param name="data">The rows.</param>
    /// <param name="columnName">The column.</param>
    /// <param name="role">What the column is for, in messages: "label" or "group".</param>
    /// <param name="parameterName">The caller's parameter that named the column.</param>
    public static IReadOnlyList<string?> Read(IDataView data, string columnName, string role = "label", string parameterName = "labelColumnName")
    {
        var column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(
                $"The data have no {role} column '{columnName}'. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.", parameterName);
        if (column.Type is VectorDataViewType || column.Type is not (TextDataViewType or KeyDataViewType or NumberDataViewType or BooleanDataViewType))
            throw new ArgumentException(
                $"{char.ToUpperInvariant(role[0])}{role[1..]} column '{columnName}' has type {column.Type}; expected a scalar: text, a key, a number or a bool.", parameterName);
        var read = typeof(LabelText).GetMethod(nameof(ReadAs), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(column.Type.RawType);
        return (IReadOnlyList<string?>)read.Invoke(null, [data, column])!;
    }

    private static List<string?> ReadAs<T>(IDataView data, DataViewSchema.Column column)
    {
        bool isKey = column.Type is KeyDataViewType;
        var values = new List<string?>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value switch
            {
                ReadOnlyMemory<char> text => text.Span.IsWhiteSpace() ? null : text.ToString(),
                float x when float.IsNaN(x) => null,
                double x when double.IsNaN(x) => null,
                _ when isKey && Convert.ToUInt64(value, CultureInfo.InvariantCulture) == 0 => null,
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            });
        }
        return values;
    }
}
