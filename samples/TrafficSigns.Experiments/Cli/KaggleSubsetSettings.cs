using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Cli;

namespace TrafficSigns.Experiments.Cli;

/// <summary>The kaggle-subset command's options.</summary>
internal sealed class KaggleSubsetSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("A GTSRB folder in the official layout (holding Final_Training), e.g. ../shared/data/gtsrb.")]
    public string? Data { get; init; }

    [CommandOption("--output <DIR>")]
    [Description("The folder to write; it must not exist yet.")]
    public string? Output { get; init; }

    [CommandOption("--frames <LIST>")]
    [Description("Comma list of the frames (0-29) kept from every track. Default all.")]
    public string? FrameList { get; init; }

    [CommandOption("--test-fraction <F>")]
    [Description("Fraction of each class's tracks held out for Test/, 0-0.9.")]
    [DefaultValue(0.2)]
    public double TestFraction { get; init; } = 0.2;

    [CommandOption("--seed <N>")]
    [Description("Seed of the track split.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    /// <summary>--frames, parsed; null = every frame.</summary>
    public IReadOnlyList<int>? Frames { get; private set; }

    public override ValidationResult Validate()
    {
        foreach (var check in new Func<ValidationResult>[]
        {
            () => Data is null ? ValidationResult.Error("--data: give the GTSRB folder in the official layout to take the images from.") : OptionValues.Existing("--data", Data, folder: true),
            () => Output is null ? ValidationResult.Error("--output: give the folder to write (it must not exist yet).") : ValidationResult.Success(),
            () => FrameList is null ? ValidationResult.Success() : OptionValues.List("--frames", FrameList, f => OptionValues.Int(f, 0, 1000), "frame numbers", v => Frames = v),
            () => OptionValues.Between("--test-fraction", TestFraction, 0, 0.9),
            () => OptionValues.AtLeast("--seed", Seed, 0),
        })
            if (check() is { Successful: false } error)
                return error;
        return ValidationResult.Success();
    }
}
