using TrafficSigns;
using TrafficSigns.Commands;

// MlLinearized traffic-sign sample. Commands:
//   train --images <dir> [--test-images <dir>]   your own images: one subfolder per label (Data/ImageFolderTrainingSet.cs)
//   train (default)  [--data <dir>] [--output <dir>] [--epochs n] [--architecture None|Stn|InverseCompositionalStn]
//                    [--sampler Bilinear|Linearized|MultiScale] [--downsampling 1|2|4|8] [--tracks n] [--seed n] [--device auto|cpu|cuda]
//                    [--offline] [--cache <dir>] [--download-url <url>]   data: --data, ../shared/data/gtsrb, the cache,
//                    a download of the official GTSRB, or the built-in subset (Data/DataSourceResolver.cs)
//   score --model <zip> --images <dir> [--output <dir>]   loose images, or label subfolders (accuracy, confusion matrix)
//   export --model <zip> [--output <dir>]   the ONNX graph (model.onnx) and its description (model.json, model.md)
//   gradient-field [--image <png>] [--output <dir>] [--seed <n>] [--device auto|cpu|cuda]
//   table | align | rectify   the paper's experiments (see Usage below)
// Redirected output (a log file, a CI job, a test) is not wrapped at Spectre.Console's default of 80 columns.
if (Console.IsOutputRedirected)
    Spectre.Console.AnsiConsole.Profile.Width = 240;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
try
{
    var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "train";
    var options = CommandLine.Parse(args.SkipWhile(a => a == command).ToArray());
    if (command is "train" or "table" or "align" or "rectify" && NumericsRestart.RunCheckAndMaybeRestart(args) is int restartedExitCode)
        return restartedExitCode;
    return command switch
    {
        "train" => TrainCommand.Run(options, cancellation.Token),
        "score" => ScoreCommand.Run(options),
        "export" => ExportCommand.Run(options),
        "gradient-field" => GradientFieldCommand.Run(options),
        "table" => TableCommand.Run(options, cancellation.Token),
        "align" => AlignCommand.Run(options, cancellation.Token),
        "rectify" => RectifyCommand.Run(options, cancellation.Token),
        "help" or "--help" or "-h" => Usage(),
        _ => Usage($"Unknown command '{command}'."),
    };
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled; nothing half-written was left (files are written atomically).");
    return 130;
}
catch (ArgumentException e)
{
    return Usage(e.Message);
}
catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException or NotSupportedException)
{
    for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        Console.Error.WriteLine(inner == e ? inner.Message : "  caused by: " + inner.Message);
    return 1;
}

static int Usage(string? error = null)
{
    if (error is not null)
        Console.Error.WriteLine(error);
    Console.WriteLine("""
        usage: TrafficSigns train --images <dir> [--test-images <dir>] [--validation-fraction 0.1] [--test-fraction 0.2] [--image-size n]
                                  [--architecture ...] [--sampler ...] [--downsampling n] [--epochs n] [--patience n] [--perturbation σ] [--seed n] [--device d] [--output <dir>]
                                  your own images: one subfolder per label (png, jpg, bmp, gif, webp; any size, grayscale or colour)
               TrafficSigns [train] [--data <dir>] [--output <dir>] [--epochs n] [--architecture None|Stn|InverseCompositionalStn]
                                    [--sampler Bilinear|Linearized|MultiScale] [--downsampling 1|2|4|8] [--tracks n] [--seed n] [--device auto|cpu|cuda]
                                    [--offline] [--cache <dir>] [--download-url <url>]
               TrafficSigns score --model <zip> --images <dir> [--output <dir>]   loose images, or label subfolders for accuracy and a confusion matrix
               TrafficSigns export --model <zip> [--output <dir>]      writes model.onnx, model.json, model.md (serve it with any ONNX Runtime)
               TrafficSigns gradient-field [--image <png>] [--output <dir>] [--seed n] [--device auto|cpu|cuda]
               TrafficSigns table [--quick] [--protocol whole-image|icstn] [--recipe adam|sgd] [--data <dir>] [--tracks n] [--epochs n] [--seeds 0,1] [--downsampling 1,2,4,8] [--rows Baseline,STN-Bilinear,...,IC-STN-Linearized] [--split-seed n] [--threads n] [--device d] [--output <dir>]
               TrafficSigns align [--image <png>] [--strengths 0.05,0.1,...] [--trials n] [--steps n] [--downsampling 1,2,4,8] [--samplers Bilinear,MultiScale,Linearized] [--crop-size n] [--threshold px] [--seed n] [--threads n] [--output <dir>]
               TrafficSigns rectify [--protocol whole-image|icstn] [--recipe adam|sgd] [--data <dir>] [--tracks n] [--epochs n] [--downsampling 8] [--seed n] [--images 8] [--perturb true] [--threads n] [--device d] [--output <dir>]

        train data, first found: --data <dir>; ../shared/data/gtsrb; the official GTSRB downloaded earlier into the cache
        (--cache <dir>, default ~/.cache/mllinearized/gtsrb, %LOCALAPPDATA%\mllinearized\gtsrb on Windows); a download of
        the official archives (hundreds of MB; an interrupted download resumes) from --download-url (default the benchmark's public archive,
        https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/); else, --offline or with no network, the
        built-in subset. With the official test set the run is evaluated on it, validated on held-out tracks.
        """);
    return error is null ? 0 : 2;
}
