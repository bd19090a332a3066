namespace TrafficSigns.Experiments;

/// <summary>
/// The paper's experiments (Jiang et al., ICCV 2019) on GTSRB and on a photograph: <c>TrafficSigns.Experiments --help</c>
/// lists the commands, <c>TrafficSigns.Experiments &lt;command&gt; --help</c> their options (<see cref="ExperimentsApp"/>).
/// The app a user copies is samples/TrafficSigns; this program is how the numbers in docs/results.md were measured.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        // Redirected output (a log file, a CI job, a test) is not wrapped at Spectre.Console's default of 80 columns.
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = 240;
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        return ExperimentsApp.Run(args, cancellation.Token);
    }
}
