using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace TrafficSigns.Cli;

/// <summary>
/// Reads a command line against the options its command declares (the <see cref="CommandOptionAttribute"/>s of its
/// settings class) before Spectre.Console.Cli parses it, for what that parser does not say well: an unknown or
/// misspelled option (it says "Unknown option" without a suggestion), an option without its value (it takes the next
/// word or an internal placeholder), a stray word, and a value that is not of the option's type (it says "Failed to
/// convert 'abc' to Nullable`1"): "--epochs: 'abc' is not a whole number", with the range for one too large.
/// </summary>
internal static class OptionCheck
{
    /// <summary>What is wrong with <paramref name="args"/> (command first), or null when nothing is.</summary>
    /// <param name="args">The command line, command first.</param>
    /// <param name="commands">Each command and its settings class.</param>
    /// <param name="application">The program's name, for "Run '<paramref name="application"/> command --help'".</param>
    public static string? Problem(IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> commands, string application)
    {
        if (args.Count == 0 || !commands.TryGetValue(args[0], out var settings))
            return null;   // no command, or an unknown one: Spectre.Console.Cli names it with a suggestion
        string command = args[0];
        if (args.Any(a => a is "--help" or "-h" or "-?"))
            return null;   // help wins: Spectre.Console.Cli prints the command's options
        var options = Options(settings);
        var types = Types(settings);
        for (int i = 1; i < args.Count; i++)
        {
            string token = args[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
                return $"Unexpected '{token}' for '{command}': options are written '--name value'. Run '{application} {command} --help' for its options.";
            string name = token[2..].Split('=', 2)[0];
            if (!options.TryGetValue(name, out var value))
            {
                var suggestion = Closest(name, options.Keys);
                return $"Unknown option '--{name}' for '{command}'.{(suggestion is null ? "" : $" Did you mean '--{suggestion}'?")} Run '{application} {command} --help' for its options.";
            }
            if (value is null)
                continue;
            string text;
            if (token.Contains('=', StringComparison.Ordinal))
                text = token.Split('=', 2)[1];
            else if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                return $"--{name} needs a value ({value}).";
            else
                text = args[++i];
            if (ValueProblem(name, text, types[name]) is { } problem)
                return problem;
        }
        return null;
    }

    /// <summary>What is wrong with <paramref name="text"/> as a value of an option of type <paramref name="type"/>, or null (text and paths are checked by the settings class).</summary>
    public static string? ValueProblem(string name, string text, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
        {
            long min = type == typeof(int) ? int.MinValue : long.MinValue, max = type == typeof(int) ? int.MaxValue : long.MaxValue;
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
                return null;
            return System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
                ? string.Create(CultureInfo.InvariantCulture, $"--{name}: {text} is out of range: it takes a whole number from {min} to {max}.")
                : $"--{name}: '{text}' is not a whole number.";
        }
        if (type == typeof(double) || type == typeof(float))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
                ? null
                : $"--{name}: '{text}' is not a number (write it with a '.', e.g. 0.25).";
        if (type.IsEnum)
            return OptionValues.Enum(type, text) ? null : $"--{name}: '{text}' is not one of {string.Join(", ", Enum.GetNames(type))}.";
        return null;
    }

    /// <summary>Long option names of a settings class → the type of their property.</summary>
    private static Dictionary<string, Type> Types(Type settings)
    {
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<CommandOptionAttribute>() is { } option)
                foreach (var name in option.LongNames)
                    types[name] = property.PropertyType;
        return types;
    }

    /// <summary>Long option names of a settings class → the name of their value (null for a flag).</summary>
    public static IReadOnlyDictionary<string, string?> Options(Type settings)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<CommandOptionAttribute>() is { } option)
                foreach (var name in option.LongNames)
                    options[name] = option.ValueName is { Length: > 0 } v && !option.ValueIsOptional ? $"<{v}>" : null;
        return options;
    }

    /// <summary>The known name nearest <paramref name="name"/> (edit distance at most a third of its length, at least 2), or one it is a prefix of.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        var (best, distance) = known.Select(k => (k, Distance(name, k))).MinBy(x => x.Item2);
        if (best is not null && distance <= Math.Max(2, name.Length / 3))
            return best;
        return known.Where(k => k.StartsWith(name, StringComparison.Ordinal)).MinBy(k => k.Length);
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous + (a[i - 1] == b[j - 1] ? 0 : 1);
                previous = row[j];
                row[j] = Math.Min(substitution, Math.Min(row[j], row[j - 1]) + 1);
            }
        }
        return row[b.Length];
    }
}
