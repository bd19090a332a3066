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

    /// <summary>The files export writes into --output (an earlier export's are replaced, and the output says so).</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["model.onnx", "model.json", "model.md"];

    public override ValidationResult Validate() => First(
        base.Validate,
        () => Model is null ? ValidationResult.Error("--model: give the model zip to export (e.g. --model output/model.zip).") : OptionValues.Existing("--model", Model, folder: false));
}
