using TrafficSigns.Cli;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TrafficSigns.Experiments.Cli;

/// <summary>The rectify command's options (Bilinear against Linearized STN outputs).</summary>
internal sealed class RectifySettings : GtsrbExperimentSettings
{
    [CommandOption("--epochs <N>")]
    [Description("Epochs per STN.")]
    [DefaultValue(3)]
    public int Epochs { get; init; } = 3;

    [CommandOption("--downsampling|--factor|--factors <N>")]
    [Description("Downsampling factor (1-32).")]
    [DefaultValue(8)]
    public int Downsampling { get; init; } = 8;

    [CommandOption("--seed <N>")]
    [Description("Seed of both STNs (the same weights, batches and perturbations) and of the split.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--images <N>")]
    [Description("Test images shown in rectify.png.")]
    [DefaultValue(8)]
    public int Images { get; init; } = 8;

    [CommandOption("--perturb")]
    [Description("Show the test images warped by seeded σ = 0.25 perturbations.")]
    public bool Perturb { get; init; }

    public override ValidationResult Validate() => First(
        base.Validate,
        () => OptionValues.AtLeast("--epochs", Epochs, 1),
        () => OptionValues.Between("--downsampling", Downsampling, 1, 32),
        () => OptionValues.AtLeast("--seed", Seed, 0),
        () => OptionValues.AtLeast("--images", Images, 1));
}
