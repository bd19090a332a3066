using TrafficSigns.Cli;
using System.ComponentModel;
using Ml.Transforms.Sampling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TrafficSigns.Experiments.Cli;

/// <summary>The align command's options (the paper's alignment-recall experiment).</summary>
internal sealed class AlignSettings : PhotoSettings
{
    [CommandOption("--strengths <LIST>")]
    [Description("Comma list of perturbation strengths (σ of the corner noise), each ≥ 0.")]
    [DefaultValue("0.05,0.1,0.15,0.2")]
    public string StrengthList { get; init; } = "0.05,0.1,0.15,0.2";

    [CommandOption("--trials <N>")]
    [Description("Random perturbations per cell.")]
    [DefaultValue(20)]
    public int Trials { get; init; } = 20;

    [CommandOption("--steps <N>")]
    [Description("Gradient-descent steps per trial.")]
    [DefaultValue(100)]
    public int Steps { get; init; } = 100;

    [CommandOption("--downsampling|--factor|--factors <LIST>")]
    [Description("Comma list of downsampling factors (1-32).")]
    [DefaultValue("1,2,4,8")]
    public string DownsamplingList { get; init; } = "1,2,4,8";

    [CommandOption("--samplers <LIST>")]
    [Description("Comma list of samplers.")]
    [DefaultValue("Bilinear,MultiScale,Linearized")]
    public string SamplerList { get; init; } = "Bilinear,MultiScale,Linearized";

    [CommandOption("--crop-size <N>")]
    [Description("Side of the aligned crop, pixels.")]
    [DefaultValue(128)]
    public int CropSize { get; init; } = 128;

    [CommandOption("--threshold <PX>")]
    [Description("A trial succeeds when the mean corner error ends below this many pixels.")]
    [DefaultValue(1.0)]
    public double Threshold { get; init; } = 1.0;

    [CommandOption("--threads <N>")]
    [Description("libtorch threads (0 = libtorch's default).")]
    [DefaultValue(1)]
    public int Threads { get; init; } = 1;

    public IReadOnlyList<double> Strengths { get; private set; } = [];

    public IReadOnlyList<int> Downsamplings { get; private set; } = [];

    public IReadOnlyList<SamplingMode> Samplers { get; private set; } = [];

    public override ValidationResult Validate() => First(
        base.Validate,
        () => OptionValues.List("--strengths", StrengthList, s => OptionValues.Double(s, 0), "numbers ≥ 0", v => Strengths = v),
        () => OptionValues.List("--downsampling", DownsamplingList, s => OptionValues.Int(s, 1, 32), "integers 1-32", v => Downsamplings = v),
        () => OptionValues.List("--samplers", SamplerList, OptionValues.Enum<SamplingMode>, string.Join(", ", Enum.GetNames<SamplingMode>()), v => Samplers = v),
        () => OptionValues.AtLeast("--trials", Trials, 1),
        () => OptionValues.AtLeast("--steps", Steps, 1),
        () => OptionValues.AtLeast("--crop-size", CropSize, 1),
        () => OptionValues.Between("--threshold", Threshold, 1e-9, 1e9),
        () => OptionValues.AtLeast("--threads", Threads, 0));
}
