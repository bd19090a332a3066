using TrafficSigns.Cli;
using System.ComponentModel;
using Ml.Transforms.Devices;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.GtsrbTable;

namespace TrafficSigns.Experiments.Cli;

/// <summary>Options of the GTSRB experiments (table, rectify): data, framing, recipe, threads, device.</summary>
internal class GtsrbExperimentSettings : OutputSettings
{
    [CommandOption("--protocol <NAME>")]
    [Description("whole-image (this project's earlier protocol) or icstn (the IC-STN traffic-sign code's framing: 50×50 images, the central 36×36 as the network's frame).")]
    [DefaultValue("whole-image")]
    public string ProtocolName { get; init; } = TableProtocol.WholeImage.Name;

    [CommandOption("--recipe <NAME>")]
    [Description("adam (the library's recipe) or sgd (the IC-STN code's plain SGD).")]
    [DefaultValue("adam")]
    public string RecipeName { get; init; } = TableRecipe.Adam.Name;

    [CommandOption("--data <DIR>")]
    [Description("A GTSRB folder in the official layout (holding Final_Training) or the Kaggle layout (holding Train.csv, Train/, Test.csv, Test/). Default ../shared/data/gtsrb, else the download command's, else the built-in subset (Kaggle layout).")]
    public string? Data { get; init; }

    [CommandOption("--tracks <N>")]
    [Description("Only the first N tracks of each class (0 = all).")]
    [DefaultValue(0)]
    public int Tracks { get; init; }

    [CommandOption("--threads <N>")]
    [Description("libtorch threads (0 = libtorch's default).")]
    [DefaultValue(1)]
    public int Threads { get; init; } = 1;

    [CommandOption("--device <DEVICE>")]
    [Description("Auto, Cpu or Cuda.")]
    [DefaultValue(ComputeDevice.Auto)]
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    public TableProtocol Protocol { get; private set; } = TableProtocol.WholeImage;

    public TableRecipe Recipe { get; private set; } = TableRecipe.Adam;

    public override ValidationResult Validate() => First(
        base.Validate,
        () => OptionValues.Checked(() => Protocol = TableProtocol.Parse(ProtocolName)),
        () => OptionValues.Checked(() => Recipe = TableRecipe.Parse(RecipeName)),
        () => OptionValues.Existing("--data", Data, folder: true),
        () => OptionValues.AtLeast("--tracks", Tracks, 0),
        () => OptionValues.AtLeast("--threads", Threads, 0),
        () => OptionValues.Defined("--device", Device));
}
