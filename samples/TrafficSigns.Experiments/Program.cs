using TrafficSigns.Experiments;

// The paper's experiments (Jiang et al., ICCV 2019) on GTSRB and on a photograph: `TrafficSigns.Experiments --help` lists
// the commands, `TrafficSigns.Experiments <command> --help` their options (ExperimentsApp.cs). The app a user copies is
// samples/TrafficSigns; this program is how the numbers in docs/results.md were measured.

// Redirected output (a log file, a CI job, a test) is not wrapped at Spectre.Console's default of 80 columns.
if (Console.IsOutputRedirected)
    Spectre.Console.AnsiConsole.Profile.Width = 240;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
return ExperimentsApp.Run(args, cancellation.Token);
