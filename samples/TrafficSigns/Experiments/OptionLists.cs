using System.Globalization;

namespace TrafficSigns.Experiments;

/// <summary>Comma-separated lists and yes/no values on the command line; bad values throw <see cref="ArgumentException"/> naming the option.</summary>
internal static class OptionLists
{
    public static IReadOnlyList<int> Ints(CommandLine options, string name, string fallback, int min = int.MinValue, int max = int.MaxValue) =>
        Items(options, name, fallback).Select(item =>
            int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
            : throw new ArgumentException($"--{name} expects a comma list of integers in [{min}, {max}]; got '{item}'.")).ToList();

    public static IReadOnlyList<double> Doubles(CommandLine options, string name, string fallback, double min = double.MinValue) =>
        Items(options, name, fallback).Select(item =>
            double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && x >= min ? x
            : throw new ArgumentException($"--{name} expects a comma list of finite numbers ≥ {min.ToString(CultureInfo.InvariantCulture)}; got '{item}'.")).ToList();

    public static IReadOnlyList<T> Enums<T>(CommandLine options, string name, string fallback) where T : struct, Enum =>
        Items(options, name, fallback).Select(item =>
            Enum.TryParse<T>(item, ignoreCase: true, out var e) && Enum.IsDefined(e) && !int.TryParse(item, out _) ? e
            : throw new ArgumentException($"--{name} expects a comma list of {string.Join(", ", Enum.GetNames<T>())}; got '{item}'.")).ToList();

    public static bool Bool(CommandLine options, string name, bool fallback) => options.Get(name, fallback ? "true" : "false").ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        var v => throw new ArgumentException($"--{name} expects true or false; got '{v}'."),
    };

    public static int Positive(CommandLine options, string name, int fallback, int min = 1)
    {
        int value = options.GetInt(name, fallback);
        return value >= min ? value : throw new ArgumentException($"--{name} must be ≥ {min}; got {value}.");
    }

    public static double Double(CommandLine options, string name, double fallback, double min, double max)
    {
        var text = options.Get(name, fallback.ToString("R", CultureInfo.InvariantCulture));
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max ? x
            : throw new ArgumentException($"--{name} expects a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]; got '{text}'.");
    }

    private static IReadOnlyList<string> Items(CommandLine options, string name, string fallback)
    {
        var items = options.Get(name, fallback).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
            throw new ArgumentException($"--{name} must not be empty.");
        if (items.Distinct(StringComparer.OrdinalIgnoreCase).Count() != items.Length)
            throw new ArgumentException($"--{name} lists a value twice: '{options.Get(name, fallback)}'.");
        return items;
    }
}
