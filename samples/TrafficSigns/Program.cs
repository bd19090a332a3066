using TrafficSigns.Cli;

// MlLinearized sample: `TrafficSigns --help` lists the commands, `TrafficSigns <command> --help` their options
// (Cli/SampleApp.cs). The default command is train: on your own images with --images <folder>, else on traffic signs
// (GTSRB in the Kaggle layout: the built-in subset, or --data). The paper's experiments are samples/TrafficSigns.Experiments.

// Redirected output (a log file, a CI job, a test) is not wrapped at Spectre.Console's default of 80 columns.
if (Console.IsOutputRedirected)
    Spectre.Console.AnsiConsole.Profile.Width = 240;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
return SampleApp.Run(args, cancellation.Token);
