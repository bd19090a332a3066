using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TrafficSigns.Cli;

/// <summary>The export command's options.</summary>
internal sealed class ExportSettings : OutputSettings
{
    [CommandOption("--model <ZIP>")]
    [Description("A model saved by train: its ONNX graph is written out with a description.")]
    public string? Model { get; init; }

    public override ValidationResult Validate() => First(
        base.Validate,
        () => Model is null ? ValidationResult.Error("--model: give the model zip to export (e.g. --model output/model.zip).") : OptionValues.Existing("--model", Model, folder: false));
}
