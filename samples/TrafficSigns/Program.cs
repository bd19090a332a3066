using TrafficSigns;
using TrafficSigns.Commands;

// MlLinearized sample. Commands so far:
//   gradient-field [--image <png>] [--output <dir>] [--seed <n>] [--device auto|cpu|cuda]   (default command)
// The end-to-end traffic-sign classifier arrives with the STN trainer (later steps).
try
{
    var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "gradient-field";
    var options = CommandLine.Parse(args.SkipWhile(a => a == command).ToArray());
    return command switch
    {
        "gradient-field" => GradientFieldCommand.Run(options),
        "help" or "--help" or "-h" => Usage(),
        _ => Usage($"Unknown command '{command}'."),
    };
}
catch (ArgumentException e)
{
    return Usage(e.Message);
}
catch (Exception e) when (e is InvalidOperationException or IOException or NotSupportedException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static int Usage(string? error = null)
{
    if (error is not null)
        Console.Error.WriteLine(error);
    Console.WriteLine("usage: TrafficSigns [gradient-field] [--image <png>] [--output <dir>] [--seed <n>] [--device auto|cpu|cuda]");
    return error is null ? 0 : 2;
}
