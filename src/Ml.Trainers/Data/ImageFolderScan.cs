using Ml.Transforms.Imaging;

namespace Ml.Trainers.Data;

/// <summary>Walks an image folder: label folders, their images at any depth, and everything left out.</summary>
internal static class ImageFolderScan
{
    public sealed record Result(IReadOnlyList<ImageFolderImage> Images, IReadOnlyList<SkippedFile> Skipped);

    public static Result Run(string root, ImageFolderOptions options, CancellationToken cancellationToken)
    {
        var extensions = new HashSet<string>(options.Extensions, StringComparer.OrdinalIgnoreCase);
        var skipped = new List<SkippedFile>();
        var candidates = new List<(string Path, string Label)>();
        foreach (var file in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
        {
            if (IsHidden(file))
                skipped.Add(new SkippedFile(file, "hidden", SkipKind.Hidden));
            else if (extensions.Contains(Path.GetExtension(file)))
                skipped.Add(new SkippedFile(file, "not in a label folder (an image directly in the root has no label)", SkipKind.NoLabelFolder));
            else
                skipped.Add(new SkippedFile(file, NotAnImage(file), SkipKind.NotAnImage));
        }
        foreach (var labelFolder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            if (IsHidden(labelFolder))
            {
                skipped.Add(new SkippedFile(labelFolder, "hidden", SkipKind.Hidden));
                continue;
            }
            string label = Path.GetFileName(labelFolder);
            int before = candidates.Count;
            Walk(labelFolder, label, extensions, candidates, skipped, cancellationToken);
            if (candidates.Count == before)
                skipped.Add(new SkippedFile(labelFolder, $"empty label folder: no images, so label '{label}' is left out", SkipKind.EmptyLabelFolder));
        }

        var images = new ImageFolderImage?[candidates.Count];
        var failures = new SkippedFile?[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (path, label) = candidates[i];
            if (!options.VerifyImages)
            {
                images[i] = new ImageFolderImage(path, label, 0, 0);
                return;
            }
            try
            {
                using var image = ImageDecoder.Decode(path);
                images[i] = new ImageFolderImage(path, label, image.Width, image.Height);
            }
            catch (InvalidDataException e)
            {
                failures[i] = new SkippedFile(path, e.Message, SkipKind.Unreadable);
            }
        });
        skipped.AddRange(failures.OfType<SkippedFile>());
        // A label whose every image failed to decode has no images left, so it is not among ImageFolder.Labels.
        var kept = images.OfType<ImageFolderImage>().OrderBy(i => i.Label, StringComparer.Ordinal).ThenBy(i => i.Path, StringComparer.Ordinal).ToList();
        return new Result(kept, skipped);
    }

    private static void Walk(string folder, string label, HashSet<string> extensions, List<(string, string)> candidates, List<SkippedFile> skipped,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (IsHidden(file))
                skipped.Add(new SkippedFile(file, "hidden", SkipKind.Hidden));
            else if (extensions.Contains(Path.GetExtension(file)))
                candidates.Add((file, label));
            else
                skipped.Add(new SkippedFile(file, NotAnImage(file), SkipKind.NotAnImage));
        }
        foreach (var sub in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (IsHidden(sub))
                skipped.Add(new SkippedFile(sub, "hidden", SkipKind.Hidden));
            else
                Walk(sub, label, extensions, candidates, skipped, cancellationToken);
        }
    }

    private static string NotAnImage(string file) =>
        Path.GetExtension(file) is { Length: > 0 } extension ? $"not an image ({extension})" : "not an image (no extension)";

    private static bool IsHidden(string path) =>
        Path.GetFileName(path).StartsWith('.') || (File.GetAttributes(path) & FileAttributes.Hidden) != 0;
}
