using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers.Data;
using Spectre.Console;
using TrafficSigns.Cli;
using TrafficSigns.Training;

namespace TrafficSigns.Data;

/// <summary>
/// Your own images for the train command: <c>--images</c>, a folder with one subfolder per label, split with the
/// library's stratified split (test <c>--test-fraction</c> 20 %, validation <c>--validation-fraction</c> 10 %, every label
/// in every part); or, with <c>--test-images</c> (a folder with the same label subfolders), tested on that folder and
/// validated on 10 % of <c>--images</c>. Everything is checked before anything is written.
/// </summary>
internal static class ImageFolderTrainingSet
{
    public static TrainingSet Load(TrainSettings options, MLContext mlContext, CancellationToken cancellation)
    {
        int seed = options.Seed;
        // The trainer decodes every training and validation image (strictly, naming any it finds damaged), so the
        // folder is checked by header here and each image decoded once; test images are decoded here to check them,
        // since evaluation decodes with ML.NET's LoadImages, which would half-decode a damaged file.
        var folder = Read(options.Images!, "--images", cancellation, ImageCheck.Header);
        if (folder.Labels.Count < 2)
            throw new InvalidDataException(
                $"--images: '{folder.Folder}' has one label ('{folder.Labels[0]}', {folder.Images.Count} images); a classifier needs at least two label folders, one per class.");
        ImageFolder? testFolder = null;
        if (options.TestImages is { } testPath)
        {
            testFolder = Read(testPath, "--test-images", cancellation, ImageCheck.Decode);
            folder.EnsureSameLabels(testFolder);
        }
        double validationFraction = options.ValidationFraction;
        double testFraction = testFolder is null ? options.TestFraction : 0;
        var grouping = options.Group ?? ImageGrouping.None;
        var warnings = new List<string>();
        var split = Split(mlContext, folder, grouping, validationFraction, testFraction, seed, warnings);
        var test = testFolder is null ? HeldOutImages.Decodable(Rows(split.Test), warnings, cancellation) : testFolder.Images.Select(i => new LabelledImage(i.Path, i.Label)).ToList();
        static string percent(double f) => string.Create(CultureInfo.InvariantCulture, $"{f * 100:0.#}%");
        string by = grouping switch
        {
            ImageGrouping.Folder => "stratified by label, whole subfolders together (--group folder)",
            ImageGrouping.Prefix => "stratified by label, whole file-name prefixes together (--group prefix)",
            _ => "stratified by label",
        };
        if (grouping == ImageGrouping.None && GroupedDataHint.For(folder) is { } hint)
            warnings.Insert(0, "The split is by image, and the images look grouped: " + hint);
        warnings.AddRange(DuplicateWarnings(folder, testFolder, split));
        foreach (var warning in warnings)
            AnsiConsole.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(warning)}");
        return new TrainingSet(Path.GetFileName(folder.Folder.TrimEnd(Path.DirectorySeparatorChar)), $"{folder.Folder} — {folder.Summary}",
            Rows(split.Train), Rows(split.Validation), test,
            testFolder is null ? $"{by}, seed {seed}: validation {percent(validationFraction)}, test {percent(testFraction)}"
                : $"{by}, seed {seed}: validation {percent(validationFraction)}; test images from {testFolder.Folder} ({testFolder.Summary})",
            testFolder is null ? "held-out images" : "--test-images", warnings, MedianShorterSide(folder));
    }

    /// <summary>The median of the images' shorter sides, as the folder check read them (0 when it read no sizes: ImageCheck.None).</summary>
    private static int MedianShorterSide(ImageFolder folder)
    {
        var sides = folder.Images.Select(i => Math.Min(i.Width, i.Height)).Order().ToList();
        return sides.Count == 0 ? 0 : sides[sides.Count / 2];
    }

    private sealed class GroupedRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public string Group { get; set; } = "";
    }

    /// <summary>
    /// The library's stratified split of the folder's images: image by image, or whole groups with --group (labels with
    /// too few groups for every part, which the library reports in mlContext.Log, are added to <paramref name="warnings"/>).
    /// </summary>
    private static StratifiedSplitData Split(MLContext mlContext, ImageFolder folder, ImageGrouping grouping, double validationFraction, double testFraction,
        int seed, List<string> warnings)
    {
        if (grouping == ImageGrouping.None)
            return mlContext.Data.StratifiedSplit(folder.ToDataView(mlContext), "Label", validationFraction, testFraction, seed);
        var rows = mlContext.Data.LoadFromEnumerable(folder.Images.Select(i => new GroupedRow
        {
            ImagePath = i.Path, Label = i.Label, Group = ImageGroups.Key(grouping, folder.Folder, i),
        }).ToList());
        void Collect(object? sender, Microsoft.ML.LoggingEventArgs e)
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning && e.Source.Contains("StratifiedSplit", StringComparison.Ordinal))
                warnings.Add("--group: " + e.RawMessage);
        }
        mlContext.Log += Collect;
        try
        {
            return mlContext.Data.StratifiedSplit(rows, "Label", validationFraction, testFraction, seed, groupColumnName: nameof(GroupedRow.Group));
        }
        finally
        {
            mlContext.Log -= Collect;
        }
    }

    /// <summary>
    /// Exact copies (the same bytes) on two sides of the split: each makes the validation or test accuracy optimistic,
    /// since the model was trained on that very image.
    /// </summary>
    private static IEnumerable<string> DuplicateWarnings(ImageFolder folder, ImageFolder? testFolder, StratifiedSplitData split)
    {
        var byPath = folder.Images.ToDictionary(i => i.Path, StringComparer.Ordinal);
        List<ImageFolderImage> Part(IDataView part) => Rows(part).Select(r => byPath[r.ImagePath]).ToList();
        var train = Part(split.Train);
        var sides = new List<(string Name, IReadOnlyList<ImageFolderImage> Images)> { ("validation", Part(split.Validation)) };
        sides.Add(testFolder is null ? ("test", Part(split.Test)) : ("test (--test-images)", testFolder.Images));
        foreach (var (name, images) in sides)
        {
            var duplicates = ImageFolder.Duplicates(train, images);
            if (duplicates.Count == 0)
                continue;
            int copies = duplicates.Sum(d => d.Second.Count);
            var examples = duplicates.Take(3).Select(d => $"'{d.Second[0]}' = training '{d.First[0]}'");
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{copies} {name} image(s) are exact copies (the same bytes) of training images, so the {name.Split(' ')[0]} accuracy is optimistic: {string.Join("; ", examples)}{(duplicates.Count > 3 ? $"; and {duplicates.Count - 3} more" : "")}. Remove the copies, or keep them on one side.");
        }
    }

    /// <summary>
    /// Reads a folder with the library's loader (each file checked as <paramref name="check"/> says; progress printed
    /// every few seconds for a big folder, Ctrl+C stops it) and prints what it found and what it skipped, naming <paramref name="option"/>.
    /// </summary>
    public static ImageFolder Read(string path, string option, CancellationToken cancellation, ImageCheck check = ImageCheck.Decode)
    {
        ImageFolder folder;
        try
        {
            folder = ImageFolder.Read(path, new ImageFolderOptions { Check = check, Progress = new ReadingProgress(option).Report }, cancellation);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException)
        {
            throw new InvalidDataException($"{option}: {e.Message}");
        }
        AnsiConsole.MarkupLine($"{option}: [bold]{Markup.Escape(folder.Folder)}[/] — {Markup.Escape(folder.Summary)}.");
        SkippedLines.Print(folder.Skipped.Select(s => (s.Path, s.Reason)).ToList());
        return folder;
    }

    private static List<LabelledImage> Rows(IDataView part) =>
        part.GetColumn<string>("ImagePath").Zip(part.GetColumn<string>("Label"), (path, label) => new LabelledImage(path, label)).ToList();
}
