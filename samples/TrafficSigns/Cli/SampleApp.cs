using Spectre.Console.Cli;
using TrafficSigns.Commands;

namespace TrafficSigns.Cli;

/// <summary>
/// The app's command line (Spectre.Console.Cli, run by <see cref="CommandLine"/>): train, score, export; one command
/// class and one settings class per command. The default command is train. The paper's experiments are another program,
/// samples/TrafficSigns.Experiments.
/// </summary>
internal static class SampleApp
{
    /// <summary>Each command and its settings class.</summary>
    internal static readonly IReadOnlyDictionary<string, Type> Settings = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["train"] = typeof(TrainSettings),
        ["score"] = typeof(ScoreSettings),
        ["export"] = typeof(ExportSettings),
    };

    public static int Run(string[] args, CancellationToken cancellation) => CommandLine.Run("TrafficSigns", Settings, "train", config =>
    {
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train, evaluate, save and reload a spatial-transformer classifier: on your own images (--images, one subfolder per label) or on traffic signs (the default: the built-in GTSRB subset, or a Kaggle-layout GTSRB with --data).")
            .WithExample("train", "--images", "photos")
            .WithExample("train", "--images", "photos", "--test-images", "photos-test")
            .WithExample("train", "--data", "gtsrb-kaggle")
            .WithExample("train");
        config.AddCommand<ScoreCommand>("score")
            .WithDescription("Score a folder with a saved model: loose images, or label subfolders for accuracy and a confusion matrix.")
            .WithExample("score", "--model", "output/model.zip", "--images", "new-photos");
        config.AddCommand<ExportCommand>("export")
            .WithDescription("Write a saved model's ONNX graph (model.onnx) and its description (model.json, model.md), for any ONNX Runtime host.")
            .WithExample("export", "--model", "output/model.zip", "--output", "exported");
    }, args, cancellation);
}
