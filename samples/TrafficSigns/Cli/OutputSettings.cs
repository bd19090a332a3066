using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TrafficSigns.Cli;

/// <summary>The option every command has: where its files go.</summary>
internal class OutputSettings : CommandSettings
{
    [CommandOption("--output <DIR>")]
    [Description("Folder for the command's files (created when missing).")]
    [DefaultValue("output")]
    public string Output { get; init; } = "output";

    /// <summary>Checks the options before any work; a command's override adds its own checks.</summary>
    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Output))
            return ValidationResult.Error("--output needs a folder.");
        // A path inside a regular file cannot become a folder ("Could not find a part of the path" later, after the work).
        for (var dir = new DirectoryInfo(Path.GetFullPath(Output)); dir is not null; dir = dir.Parent)
            if (File.Exists(dir.FullName))
                return ValidationResult.Error($"--output: '{Output}' cannot be a folder: '{dir.FullName}' is a file. Give a folder path.");
        return ValidationResult.Success();
    }

    /// <summary>Runs the checks in order and returns the first error.</summary>
    protected static ValidationResult First(params Func<ValidationResult>[] checks)
    {
        foreach (var check in checks)
            if (check() is { Successful: false } error)
                return error;
        return ValidationResult.Success();
    }
}
