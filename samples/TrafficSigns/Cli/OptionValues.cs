using System.Globalization;
using Spectre.Console;

namespace TrafficSigns.Cli;

/// <summary>Range checks and comma lists for the settings classes; every error names the option and what it takes.</summary>
internal static class OptionValues
{
    public static ValidationResult AtLeast(string option, long value, long min) =>
        value >= min ? ValidationResult.Success() : ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"{option} must be ≥ {min}; got {value}."));

    public static ValidationResult FiniteAtLeastZero(string option, double? value) =>
        value is not { } v || (double.IsFinite(v) && v >= 0) ? ValidationResult.Success()
        : ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"{option} must be a finite number ≥ 0; got {v}."));

    public static ValidationResult Between(string option, double value, double min, double max) =>
        value >= min && value <= max ? ValidationResult.Success()
        : ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"{option} must be between {min} and {max}; got {value}."));

    public static ValidationResult Defined<T>(string option, T value) where T : struct, Enum =>
        System.Enum.IsDefined(value) ? ValidationResult.Success()
        : ValidationResult.Error($"{option} must be one of {string.Join(", ", System.Enum.GetNames<T>())}; got '{value}'.");

    /// <summary>The file or folder an option names exists and is of that kind: a file where a folder is expected (or the reverse) is named as such.</summary>
    public static ValidationResult Existing(string option, string? path, bool folder) =>
        path is null || (folder ? Directory.Exists(path) : File.Exists(path)) ? ValidationResult.Success()
        : folder && File.Exists(path) ? ValidationResult.Error($"{option}: '{path}' is a file, not a folder. Give the folder{(option.Contains("images", StringComparison.Ordinal) ? " that holds the images (one subfolder per label)" : "")}.")
        : !folder && Directory.Exists(path) ? ValidationResult.Error($"{option}: '{path}' is a folder, not a file. Give the file itself{(option == "--model" ? $" (e.g. '{Path.Combine(path, "model.zip")}')" : "")}.")
        : ValidationResult.Error($"{option}: {(folder ? "folder" : "file")} '{path}' does not exist.");

    /// <summary>Parses a comma list and hands it to <paramref name="assign"/>; a bad, missing or repeated item is an error naming the option.</summary>
    public static ValidationResult List<T>(string option, string text, Func<string, T?> parse, string expected, Action<IReadOnlyList<T>> assign) where T : struct
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
            return ValidationResult.Error($"{option} must not be empty; it takes a comma list of {expected}.");
        if (items.Distinct(StringComparer.OrdinalIgnoreCase).Count() != items.Length)
            return ValidationResult.Error($"{option} lists a value twice: '{text}'.");
        var parsed = new List<T>();
        foreach (var item in items)
        {
            if (parse(item) is not { } value)
                return ValidationResult.Error($"{option} takes a comma list of {expected}; got '{item}'.");
            parsed.Add(value);
        }
        assign(parsed);
        return ValidationResult.Success();
    }

    /// <summary>A check that throws <see cref="ArgumentException"/> (the library's option checks, whose messages name the setting), as an option error.</summary>
    public static ValidationResult Checked(Action check)
    {
        try
        {
            check();
            return ValidationResult.Success();
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
    }

    public static int? Int(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    public static double? Double(string text, double min) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && x >= min ? x : null;

    public static T? Enum<T>(string text) where T : struct, Enum =>
        System.Enum.TryParse<T>(text, ignoreCase: true, out var e) && System.Enum.IsDefined(e) && !int.TryParse(text, out _) ? e : null;

    /// <summary>Whether <paramref name="text"/> names a value of the enum <paramref name="type"/> (case-insensitive; numbers are not names).</summary>
    public static bool Enum(Type type, string text) =>
        System.Enum.TryParse(type, text, ignoreCase: true, out var e) && System.Enum.IsDefined(type, e!) && !long.TryParse(text, out _);
}
