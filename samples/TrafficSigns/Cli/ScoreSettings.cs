using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TrafficSigns.Cli;

/// <summary>The score command's options.</summary>
internal sealed class ScoreSettings : OutputSettings
{
    [CommandOption("--model <ZIP>")]
    [Description("A model saved by train (or by any pipeline around the STN trainer).")]
    public string? Model { get; init; }

    [CommandOption("--images <DIR>")]
    [Description("Images to score: loose files, or one subfolder per label (then also accuracy and a confusion matrix).")]
    public string? Images { get; init; }

    [CommandOption("--skip-unreadable")]
    [Description("Leave out (and list) images that cannot be decoded — empty, truncated or damaged — and score the others. Without it such a file stops the command, named.")]
    public bool SkipUnreadable { get; init; }

    /// <summary>The confusion matrix score writes for label folders (not confusion-matrix.md: that is train's, often in the same folder).</summary>
    public const string ConfusionMatrixFile = "scores-confusion-matrix.md";

    /// <summary>The files score writes into --output (an earlier run's are replaced, and the output says so).</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["scores.csv", ConfusionMatrixFile];

    public override ValidationResult Validate() => First(
        base.Validate,
        () => Model is null ? ValidationResult.Error("--model: give the model zip to score with (e.g. --model output/model.zip).") : OptionValues.Existing("--model", Model, folder: false),
        () => Images is null ? ValidationResult.Error("--images: give the folder of images to score.") : OptionValues.Existing("--images", Images, folder: true));
}
