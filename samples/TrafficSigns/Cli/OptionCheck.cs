using System.Reflection;
using Spectre.Console.Cli;

namespace TrafficSigns.Cli;

/// <summary>
/// Reads a command line against the options its command declares (the <see cref="CommandOptionAttribute"/>s of its
/// settings class) before Spectre.Console.Cli parses it, for what that parser does not say well: an unknown or
/// misspelled option (it says "Unknown option" without a suggestion), an option without its value (it takes the next
/// word or an internal placeholder) and a stray word.
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
            if (value is null || token.Contains('=', StringComparison.Ordinal))
                continue;
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                return $"--{name} needs a value ({value}).";
            i++;
        }
        return null;
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
