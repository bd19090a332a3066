using TrafficSigns.Cli;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TrafficSigns.Experiments.GtsrbTable;

namespace TrafficSigns.Experiments.Cli;

/// <summary>The table command's options (the paper's GTSRB table).</summary>
internal sealed class TableSettings : GtsrbExperimentSettings
{
    /// <summary>The --quick preset: the four claim rows at 4× and 8×, one seed, 5 epochs (the command's smoke test).</summary>
    public const int QuickEpochs = 5;

    private const string QuickRows = "STN-Bilinear,STN-Linearized,IC-STN-Bilinear,IC-STN-Linearized", QuickFactors = "4,8";

    [CommandOption("--quick")]
    [Description("The preset smoke test: the four claim rows at 4× and 8×, one seed, 5 epochs.")]
    public bool Quick { get; init; }

    [CommandOption("--epochs <N>")]
    [Description("Epochs per network. Default 30 (5 with --quick).")]
    public int? Epochs { get; init; }

    [CommandOption("--seeds <LIST>")]
    [Description("Comma list of seeds; one network per seed and cell.")]
    [DefaultValue("0")]
    public string SeedList { get; init; } = "0";

    [CommandOption("--downsampling|--factor|--factors <LIST>")]
    [Description("Comma list of downsampling factors (1-32). Default 1,2,4,8 (4,8 with --quick).")]
    public string? DownsamplingList { get; init; }

    [CommandOption("--rows <LIST>")]
    [Description("Comma list of rows: Baseline, STN-Bilinear, STN-MultiScale, STN-Linearized, IC-STN-Bilinear, IC-STN-MultiScale, IC-STN-Linearized. Default all (the four claim rows with --quick).")]
    public string? RowList { get; init; }

    [CommandOption("--split-seed <N>")]
    [Description("Seed of the track-wise split (fixed across --seeds).")]
    [DefaultValue(0)]
    public int SplitSeed { get; init; }

    public int EpochsInUse => Epochs ?? (Quick ? QuickEpochs : 30);

    public IReadOnlyList<int> Seeds { get; private set; } = [];

    public IReadOnlyList<int> Factors { get; private set; } = [];

    public IReadOnlyList<StnVariant> Rows { get; private set; } = [];

    public override ValidationResult Validate() => First(
        base.Validate,
        () => OptionValues.AtLeast("--epochs", EpochsInUse, 1),
        () => OptionValues.AtLeast("--split-seed", SplitSeed, 0),
        () => OptionValues.List("--seeds", SeedList, s => OptionValues.Int(s, 0, int.MaxValue), "integers ≥ 0", v => Seeds = v),
        () => OptionValues.List("--downsampling", DownsamplingList ?? (Quick ? QuickFactors : "1,2,4,8"), s => OptionValues.Int(s, 1, 32), "integers 1-32", v => Factors = v),
        () => OptionValues.Checked(() => Rows = StnVariant.Parse(RowList ?? (Quick ? QuickRows : string.Join(",", StnVariant.All.Select(v => v.Name))))));
}
