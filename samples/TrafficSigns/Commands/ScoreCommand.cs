using Spectre.Console.Cli;
using TrafficSigns.Cli;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Trainers.Data;
using Spectre.Console;
using TrafficSigns.Data;
using TrafficSigns.Reporting;

namespace TrafficSigns.Commands;

/// <summary>
/// Scores a folder with a saved model — any model this library trains, whatever its pipeline appended. Loose image
/// files: predictions (scores.csv: file, predicted label, confidence). A folder with one subfolder per label: also
/// accuracy and confusion-matrix.md against the folder names.
/// </summary>
internal sealed class ScoreCommand : Command<ScoreSettings>
{
    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        public string TrueLabel { get; set; } = "";
    }

    private sealed class ClassName
    {
        public string Value { get; set; } = "";
    }

    public override int Execute(CommandContext context, ScoreSettings options, CancellationToken cancellation)
    {
        var modelPath = options.Model!;
        var folder = options.Images!;
        var outputDir = options.Output;
        var mlContext = new MLContext().RegisterStnComponents();
        var model = SavedModel.Load(mlContext, modelPath, out var inputSchema);
        var (files, labelled) = Find(folder, options.SkipUnreadable, cancellation);
        string pathColumn = SavedModel.ImagePathColumn(inputSchema, modelPath);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.ImagePath)].ColumnName = pathColumn;
        var rows = mlContext.Data.LoadFromEnumerable(files.Select(f => new Row { ImagePath = f.Path, Label = f.Label ?? "", TrueLabel = f.Label ?? "" }), schema);
        var scored = model.Transform(rows);
        var (predictedColumn, classes) = SavedModel.PredictedLabel(scored.Schema, modelPath);
        var predicted = scored.GetColumn<uint>(predictedColumn).Select(k => k == 0 || k > classes.Count ? "" : classes[(int)k - 1]).ToList();
        var scores = scored.GetColumn<float[]>("Score").ToList();

        var csv = new StringBuilder(labelled ? "file,true label,predicted label,confidence\n" : "file,predicted label,confidence\n");
        for (int i = 0; i < files.Count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{Csv(Path.GetRelativePath(folder, files[i].Path))},{(labelled ? Csv(files[i].Label!) + "," : "")}{Csv(predicted[i])},{scores[i].Max():F4}\n");
        var table = new Table().AddColumns(labelled ? ["image", "true label", "predicted label", "confidence"] : ["image", "predicted label", "confidence"]);
        for (int i = 0; i < Math.Min(files.Count, 20); i++)
            table.AddRow(labelled
                ? [Markup.Escape(Path.GetFileName(files[i].Path)), Markup.Escape(files[i].Label!), Markup.Escape(predicted[i]), scores[i].Max().ToString("P1", CultureInfo.InvariantCulture)]
                : [Markup.Escape(Path.GetFileName(files[i].Path)), Markup.Escape(predicted[i]), scores[i].Max().ToString("P1", CultureInfo.InvariantCulture)]);
        AnsiConsole.Write(table);
        if (files.Count > 20)
            AnsiConsole.WriteLine($"… and {files.Count - 20} more in scores.csv.");

        using var output = OutputFolder.Claim(outputDir, ScoreSettings.OutputFiles, refuseExisting: false, "score");
        var written = new List<string> { "scores.csv" };
        AtomicFile.WriteAllText(Path.Combine(outputDir, "scores.csv"), csv.ToString());
        if (labelled)
        {
            var unknown = files.Select(f => f.Label!).Distinct(StringComparer.Ordinal).Except(classes, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                AnsiConsole.MarkupLine($"[yellow]Label folder(s) the model was not trained on (always counted wrong): {Markup.Escape(string.Join(", ", unknown))}.[/]");
            var classData = mlContext.Data.LoadFromEnumerable(classes.Select(c => new ClassName { Value = c }));
            var withTruth = mlContext.Transforms.Conversion.MapValueToKey("TrueLabelKey", nameof(Row.TrueLabel), keyData: classData).Fit(scored).Transform(scored);
            var metrics = mlContext.MulticlassClassification.Evaluate(withTruth, "TrueLabelKey", "Score", predictedColumn);
            long correct = files.Where((f, i) => f.Label == predicted[i]).LongCount();
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Accuracy [bold]{(double)correct / files.Count:P2}[/] ({correct} of {files.Count}), macro accuracy {metrics.MacroAccuracy:P2} over the model's labels."));
            AtomicFile.WriteAllText(Path.Combine(outputDir, ScoreSettings.ConfusionMatrixFile), ConfusionMarkdown.Write(metrics.ConfusionMatrix, scored.Schema[predictedColumn], $"'{folder}'"));
            written.Add(ScoreSettings.ConfusionMatrixFile);
        }
        var replaced = output.Replaced.Intersect(written, StringComparer.Ordinal).ToList();
        AnsiConsole.MarkupLine($"Scored {files.Count} images: {Markup.Escape(string.Join(", ", written.Select(w => Path.Combine(output.Path, w))))}" +
            (replaced.Count > 0 ? $" (replaced the earlier run's {Markup.Escape(string.Join(", ", replaced))})." : "."));
        return 0;
    }

    /// <summary>
    /// The images to score: the label folders' images when <paramref name="folder"/> has any, else its loose image
    /// files. Every file is decoded once first, strictly (a truncated or damaged file is never half-decoded): without
    /// <paramref name="skipUnreadable"/> one that cannot be decoded stops the command, naming it; with it, it is left out and listed.
    /// </summary>
    private static (List<(string Path, string? Label)> Files, bool Labelled) Find(string folder, bool skipUnreadable, CancellationToken cancellation)
    {
        var extensions = new HashSet<string>(ImageFolderOptions.DefaultExtensions, StringComparer.OrdinalIgnoreCase);
        // Links inside a label folder are not walked here (a loop would never end); ImageFolder.Read reads them once.
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden, IgnoreInaccessible = true };
        bool hasLabelFolders = Directory.EnumerateDirectories(folder).Any(d => !Path.GetFileName(d).StartsWith('.')
            && Directory.EnumerateFiles(d, "*", walk).Any(f => extensions.Contains(Path.GetExtension(f))));
        if (hasLabelFolders)
        {
            var images = ImageFolder.Read(folder, cancellationToken: cancellation);
            AnsiConsole.MarkupLine($"--images: {Markup.Escape(images.Folder)} — {Markup.Escape(images.Summary)}; the label folders' names are the true labels.");
            Unreadable(images.Skipped.Where(s => s.Kind == SkipKind.Unreadable).Select(s => s.Reason).ToList(), images.Images.Count, skipUnreadable);
            SkippedLines.Print(images.Skipped.Where(s => s.Kind is SkipKind.ReadAlready or SkipKind.LinkLoop).Select(s => (s.Path, s.Reason)).ToList());
            return (images.Images.Select(i => (i.Path, (string?)i.Label)).ToList(), true);
        }
        var files = Directory.EnumerateFiles(folder).Where(f => extensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal).Select(Path.GetFullPath).ToList();
        if (files.Count == 0)
            throw new ArgumentException($"--images: no image files ({string.Join(", ", extensions)}) in '{folder}' or in label subfolders of it.");
        var problems = ImageFileCheck.Problems(files, cancellation);
        var bad = problems.OfType<string>().ToList();
        Unreadable(bad, files.Count - bad.Count, skipUnreadable);
        return (files.Where((_, i) => problems[i] is null).Select(f => (f, (string?)null)).ToList(), false);
    }

    /// <summary>Stops on images that could not be decoded (naming them), or, with --skip-unreadable, lists them and goes on with the rest.</summary>
    private static void Unreadable(IReadOnlyList<string> reasons, int readable, bool skipUnreadable)
    {
        if (reasons.Count == 0)
            return;
        string list = string.Join(" ", reasons.Take(5)) + (reasons.Count > 5 ? $" And {reasons.Count - 5} more." : "");
        if (!skipUnreadable || readable == 0)
            throw new InvalidDataException(
                $"--images: {reasons.Count} image file(s) could not be decoded, so nothing was scored: {list} Remove or replace them" +
                (readable == 0 ? "; no image was left to score." : ", or add --skip-unreadable to score the others."));
        AnsiConsole.MarkupLine($"[yellow]Skipped {reasons.Count} image file(s) that could not be decoded (--skip-unreadable):[/]");
        foreach (var reason in reasons.Take(10))
            AnsiConsole.MarkupLine($"  [yellow]skipped[/] {Markup.Escape(reason)}");
        if (reasons.Count > 10)
            AnsiConsole.MarkupLine($"  [yellow]skipped[/] {reasons.Count - 10} more.");
    }

    private static string Csv(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
