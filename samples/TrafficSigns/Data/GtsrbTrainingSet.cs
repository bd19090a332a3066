using System.Security.Cryptography;
using System.Text;
using Ml.Trainers.Datasets;
using Spectre.Console;
using TrafficSigns.Cli;
using TrafficSigns.Training;

namespace TrafficSigns.Data;

/// <summary>
/// The traffic-sign data of the default run: GTSRB from <see cref="DataSourceResolver"/>, split by whole tracks (test
/// 20 %, validation 10 % of the rest), or, with the official test set, tested on it and validated on 20 % of the tracks;
/// converted to PNG once into the output folder's cache (ML.NET reads PNG, not PPM).
/// </summary>
internal static class GtsrbTrainingSet
{
    public static TrainingSet Load(TrainSettings options, CancellationToken cancellation)
    {
        int seed = options.Seed;
        var source = DataSourceResolver.Resolve(options.DataSource, new ConsoleDownloadDisplay(), cancellation);
        AnsiConsole.WriteLine(source.Message);
        var root = source.TrainingRoot;
        var samples = TrafficSignData.Read(root, options.Tracks);
        IReadOnlyList<GtsrbSample> train, validation, test;
        if (source.OfficialTestRoot is { } officialTest)
        {
            test = GtsrbTestReader.Read(officialTest);
            (train, validation) = TrackSplit.Split(samples, 0.2, seed);
        }
        else
        {
            var (rest, heldOut) = TrackSplit.Split(samples, 0.2, seed);
            test = heldOut;
            (train, validation) = TrackSplit.Split(rest, 0.1, seed);
        }
        // One PNG cache per data folder: the built-in subset and the official set share file names, not pixels.
        var folderKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root))))[..12].ToLowerInvariant();
        var cache = Path.Combine(options.Output, "cache", "png", folderKey);
        List<LabelledImage> Png(IReadOnlyList<GtsrbSample> part) =>
            TrafficSignData.AsPng(part, cache).Select(i => new LabelledImage(i.ImagePath, i.Label)).ToList();
        return new TrainingSet("Traffic signs", $"{Path.GetFullPath(root)} — {samples.Count} images", Png(train), Png(validation), Png(test),
            "whole tracks per side", source.OfficialTestRoot is null ? "held-out tracks" : "official GTSRB test set");
    }
}
