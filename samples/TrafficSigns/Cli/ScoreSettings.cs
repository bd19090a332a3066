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

    public override ValidationResult Validate() => First(
        base.Validate,
        () => Model is null ? ValidationResult.Error("--model: give the model zip to score with (e.g. --model output/model.zip).") : OptionValues.Existing("--model", Model, folder: false),
        () => Images is null ? ValidationResult.Error("--images: give the folder of images to score.") : OptionValues.Existing("--images", Images, folder: true));
}
