namespace Ml.Transforms.Checks;

/// <summary>The exception for an enum value with no defined member (e.g. <c>(WarpFamily)99</c>): no switch falls back.</summary>
internal static class UnknownEnum
{
    /// <summary>An <see cref="ArgumentOutOfRangeException"/> naming <paramref name="value"/> and the defined members.</summary>
    /// <param name="value">The undefined value.</param>
    /// <param name="paramName">The argument or setting that holds it.</param>
    public static ArgumentOutOfRangeException Value<TEnum>(TEnum value, string paramName) where TEnum : struct, Enum =>
        new(paramName, value, $"Unknown {typeof(TEnum).Name} {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}: expected one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
}
