using Spectre.Console.Cli;

namespace TrafficSigns.Cli;

/// <summary>
/// Runs a Spectre.Console.Cli program the same way in the app and in the experiments: per-command <c>--help</c>, unknown
/// or misspelled options refused with a suggestion (<see cref="OptionCheck"/>), every value checked by its settings class
/// before the command does any work. Exit codes: 0 done, 1 the work failed (the message says why), 2 the command line is
/// wrong, 130 cancelled.
/// </summary>
internal static class CommandLine
{
    /// <summary>The command line as the process got it (a command that restarts the process passes it on).</summary>
    public static IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <param name="application">The program's name in help and messages.</param>
    /// <param name="settings">Each command and its settings class.</param>
    /// <param name="defaultCommand">The command run when the line starts with an option or is empty; null = none (help).</param>
    /// <param name="configure">Adds the commands.</param>
    /// <param name="args">The command line.</param>
    /// <param name="cancellation">Ctrl+C.</param>
    public static int Run(string application, IReadOnlyDictionary<string, Type> settings, string? defaultCommand, Action<IConfigurator> configure,
        string[] args, CancellationToken cancellation)
    {
        Arguments = args;
        // No command, or options first: the default command.
        string[] arguments = defaultCommand is not null && (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version")))
            ? [defaultCommand, .. args] : args;
        if (arguments.Length == 0 || arguments[0] == "help")
            arguments = ["--help"];
        if (OptionCheck.Problem(arguments, settings, application) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName(application);
            config.UseStrictParsing();
            config.PropagateExceptions();
            configure(config);
        });
        try
        {
            return app.Run(arguments, cancellation);
        }
        catch (CommandAppException e)
        {
            Console.Error.WriteLine($"{e.Message} Run '{application} {(settings.ContainsKey(arguments[0]) ? arguments[0] + " " : "")}--help' for the options.");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled; nothing half-written was left (files are written atomically).");
            return 130;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException or NotSupportedException)
        {
            for (Exception? inner = e; inner is not null; inner = inner.InnerException)
                Console.Error.WriteLine(inner == e ? inner.Message : "  caused by: " + inner.Message);
            return 1;
        }
    }
}
