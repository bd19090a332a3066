namespace TrafficSigns;

/// <summary>
/// "--name value" pairs of the command line; a bare "--flag" (followed by another option or nothing) means "true". Older
/// spellings still work: --factor and --factors mean --downsampling.
/// </summary>
internal sealed class CommandLine
{
    private static readonly Dictionary<string, string> OldNames = new(StringComparer.Ordinal)
    {
        ["factor"] = "downsampling",
        ["factors"] = "downsampling",
    };

    private readonly Dictionary<string, string> _values;

    private CommandLine(Dictionary<string, string> values) => _values = values;

    public static CommandLine Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2)
                throw new ArgumentException($"Expected '--name value' pairs; got '{args[i]}'.");
            bool flag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            var name = args[i][2..];
            values[OldNames.GetValueOrDefault(name, name)] = flag ? "true" : args[++i];
        }
        return new CommandLine(values);
    }

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;

    public int GetInt(string name, int fallback) =>
        !_values.TryGetValue(name, out var v) ? fallback
        : int.TryParse(v, out var n) ? n
        : throw new ArgumentException($"--{name} expects an integer; got '{v}'.");

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double GetDouble(string name, double fallback, double min, double max)
    {
        if (!_values.TryGetValue(name, out var v))
            return fallback;
        if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
            throw new ArgumentException($"--{name} expects a number; got '{v}'.");
        if (!(n >= min && n <= max))
            throw new ArgumentException(FormattableString.Invariant($"--{name} must be between {min} and {max}; got {v}."));
        return n;
    }

    public T GetEnum<T>(string name, T fallback) where T : struct, Enum =>
        !_values.TryGetValue(name, out var v) ? fallback
        : Enum.TryParse<T>(v, ignoreCase: true, out var e) && Enum.IsDefined(e) ? e
        : throw new ArgumentException($"--{name} expects one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}; got '{v}'.");
}
