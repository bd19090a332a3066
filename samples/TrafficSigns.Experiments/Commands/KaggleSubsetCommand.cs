using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.Cli;
using TrafficSigns.Experiments.Gtsrb;

namespace TrafficSigns.Experiments.Commands;

/// <summary>Writes a small GTSRB subset in the Kaggle layout, PNG (<see cref="GtsrbKaggleSubset"/>): how data/gtsrb-subset was made.</summary>
internal sealed class KaggleSubsetCommand : Command<KaggleSubsetSettings>
{
    public override int Execute(CommandContext context, KaggleSubsetSettings options, CancellationToken cancellation)
    {
        var written = GtsrbKaggleSubset.Write(options.Data!, options.Output!, options.Frames, options.TestFraction, options.Seed);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {Path.GetFullPath(options.Output!)}: {(options.Frames is { } frames ? "frames " + string.Join(", ", frames) : "every frame")} of {written.Tracks} tracks; Train/ {written.Train} images, Test/ {written.Test} images (whole tracks, {options.TestFraction:P0} of each class's, seed {options.Seed}); Train.csv, Test.csv, signnames.csv.")));
        return 0;
    }
}
