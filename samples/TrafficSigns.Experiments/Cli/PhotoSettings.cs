using TrafficSigns.Cli;
using System.ComponentModel;
using Ml.Transforms.Devices;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TrafficSigns.Experiments.Cli;

/// <summary>Options of the experiments on a photograph (gradient-field, align).</summary>
internal class PhotoSettings : OutputSettings
{
    [CommandOption("--image <FILE>")]
    [Description("The photograph (png, jpg, ...). Default the built-in chelsea.png.")]
    public string Image { get; init; } = Path.Combine(AppContext.BaseDirectory, "Data", "images", "chelsea.png");

    [CommandOption("--seed <N>")]
    [Description("Seed of the random warps and sampler noise.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Auto, Cpu or Cuda.")]
    [DefaultValue(ComputeDevice.Auto)]
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    public override ValidationResult Validate() => First(
        base.Validate,
        () => OptionValues.Existing("--image", Image, folder: false),
        () => OptionValues.AtLeast("--seed", Seed, 0),
        () => OptionValues.Defined("--device", Device));
}
