using System.Security.Cryptography;
using Ml.Transforms.Imaging;

namespace Ml.Trainers.Data;

/// <summary>
/// Walks an image folder: label folders, their images at any depth, and everything left out. Each real file is read
/// once and each real folder walked once, whatever the symbolic links: the folders themselves first, then what links
/// lead to (so a file reached both ways keeps the label of the folder it is really in); a link to a folder that contains
/// it (a loop) is reported, never followed.
/// </summary>
internal static class ImageFolderScan
{
    public sealed record Result(IReadOnlyList<ImageFolderImage> Images, IReadOnlyList<SkippedFile> Skipped);

    public static Result Run(string root, ImageFolderOptions options, CancellationToken cancellationToken)
    {
        var progress = new ProgressReport(options.Progress);
        var walk = new Walk(root, options, progress, cancellationToken);
        walk.Run();
        var candidates = walk.Candidates;
        progress.Listed(candidates.Count);

        var images = new ImageFolderImage?[candidates.Count];
        var failures = new SkippedFile?[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (path, label) = candidates[i];
            try
            {
                images[i] = Check(path, label, options.Check);
            }
            catch (InvalidDataException e)
            {
                failures[i] = new SkippedFile(path, e.Message, SkipKind.Unreadable);
            }
            progress.Checked();
        });
        progress.Done();
        var skipped = walk.Skipped;
        skipped.AddRange(failures.OfType<SkippedFile>());
        // A label whose every image failed to decode has no images left, so it is not among ImageFolder.Labels.
        var kept = images.OfType<ImageFolderImage>().OrderBy(i => i.Label, StringComparer.Ordinal).ThenBy(i => i.Path, StringComparer.Ordinal).ToList();
        return new Result(kept, skipped);
    }

    /// <summary>One file, checked as <paramref name="check"/> says.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read, or the check found it damaged; the message names it.</exception>
    private static ImageFolderImage Check(string path, string label, ImageCheck check)
    {
        if (check == ImageCheck.None)
            return new ImageFolderImage(path, label, 0, 0);
        var content = ImageDecoder.Read(path);
        string sha256 = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
        if (check == ImageCheck.Header)
        {
            if (!ImageDecoder.TryReadHeader(content, out int width, out int height, out var problem))
                throw ImageDecoder.Unreadable(path, problem!);
            return new ImageFolderImage(path, label, width, height) { Sha256 = sha256 };
        }
        var (decodedWidth, decodedHeight) = ImageDecoder.DecodedSize(content, path);
        return new ImageFolderImage(path, label, decodedWidth, decodedHeight) { Sha256 = sha256 };
    }

    /// <summary>The folder tree's walk: real folders first, then the symbolic links met on the way (breadth first).</summary>
    private sealed class Walk(string root, ImageFolderOptions options, ProgressReport progress, CancellationToken cancellationToken)
    {
        private readonly HashSet<string> extensions = new(options.Extensions, StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> folders = new(RealPath.Comparer);                    // real path → path as reached
        private readonly Dictionary<string, (string Path, string Label)> files = new(RealPath.Comparer); // real path → first row
        private readonly Queue<(string Path, string Label, string ContainingRealFolder)> links = new();
        private readonly Dictionary<string, int> imagesPerLabel = new(StringComparer.Ordinal);

        public List<(string Path, string Label)> Candidates { get; } = [];

        public List<SkippedFile> Skipped { get; } = [];

        public void Run()
        {
            string realRoot = RealPath.Of(root);
            folders[realRoot] = root;
            foreach (var file in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
            {
                if (IsHidden(file))
                    Skipped.Add(new SkippedFile(file, "hidden", SkipKind.Hidden));
                else if (extensions.Contains(Path.GetExtension(file)))
                    Skipped.Add(new SkippedFile(file, "not in a label folder (an image directly in the root has no label)", SkipKind.NoLabelFolder));
                else
                    Skipped.Add(new SkippedFile(file, NotAnImage(file), SkipKind.NotAnImage));
            }
            var labelFolders = new List<string>();
            foreach (var labelFolder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                if (IsHidden(labelFolder))
                    Skipped.Add(new SkippedFile(labelFolder, "hidden", SkipKind.Hidden));
                else
                {
                    labelFolders.Add(labelFolder);
                    Folder(labelFolder, Path.GetFileName(labelFolder), realRoot);
                }
            }
            while (links.TryDequeue(out var link))
                Link(link.Path, link.Label, link.ContainingRealFolder);
            foreach (var labelFolder in labelFolders)
            {
                string label = Path.GetFileName(labelFolder);
                if (!imagesPerLabel.ContainsKey(label) && !Skipped.Any(s => s.Path == labelFolder))
                    Skipped.Add(new SkippedFile(labelFolder, $"empty label folder: no images, so label '{label}' is left out", SkipKind.EmptyLabelFolder));
            }
        }

        /// <summary>A folder reached without a link (its real path is its parent's plus its name), or a link to one.</summary>
        private void Folder(string folder, string label, string parentReal)
        {
            if (IsLink(folder))
            {
                links.Enqueue((folder, label, parentReal));
                return;
            }
            string real = Path.Combine(parentReal, Path.GetFileName(folder));
            if (!folders.TryAdd(real, folder))
            {
                Skipped.Add(new SkippedFile(folder, $"the folder '{folders[real]}' again: its images are read once", SkipKind.ReadAlready));
                return;
            }
            WalkContents(folder, real, label);
        }

        private void WalkContents(string folder, string real, string label)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                if (IsHidden(file))
                    Skipped.Add(new SkippedFile(file, "hidden", SkipKind.Hidden));
                else if (!extensions.Contains(Path.GetExtension(file)))
                    Skipped.Add(new SkippedFile(file, NotAnImage(file), SkipKind.NotAnImage));
                else if (IsLink(file))
                    links.Enqueue((file, label, real));
                else
                    Image(file, Path.Combine(real, Path.GetFileName(file)), label);
            }
            foreach (var sub in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            {
                if (IsHidden(sub))
                    Skipped.Add(new SkippedFile(sub, "hidden", SkipKind.Hidden));
                else
                    Folder(sub, label, real);
            }
        }

        /// <summary>A symbolic link (to a file or a folder), once every real folder has been walked.</summary>
        private void Link(string path, string label, string containingRealFolder)
        {
            string real;
            try
            {
                real = RealPath.Of(path);
            }
            catch (IOException e)
            {
                Skipped.Add(new SkippedFile(path, $"a symbolic link that cannot be resolved ({e.Message})", SkipKind.Unreadable));
                return;
            }
            if (!options.FollowSymbolicLinks)
            {
                Skipped.Add(new SkippedFile(path, $"a symbolic link (to '{real}'): not followed, as FollowSymbolicLinks is off", SkipKind.SymbolicLink));
                return;
            }
            if (File.Exists(real))
            {
                Image(path, real, label);
                return;
            }
            if (!Directory.Exists(real))
            {
                Skipped.Add(new SkippedFile(path, $"a symbolic link to '{real}', which does not exist", SkipKind.Unreadable));
                return;
            }
            if (RealPath.IsSameOrInside(containingRealFolder, real))
            {
                Skipped.Add(new SkippedFile(path, $"a symbolic link to '{real}', a folder it is itself inside: a loop, not followed (its images are read once, where they are)", SkipKind.LinkLoop));
                return;
            }
            if (!folders.TryAdd(real, path))
            {
                Skipped.Add(new SkippedFile(path, $"a symbolic link to '{real}', read already as '{folders[real]}': its images are read once", SkipKind.ReadAlready));
                return;
            }
            WalkContents(path, real, label);
        }

        private void Image(string path, string real, string label)
        {
            if (files.TryGetValue(real, out var first))
            {
                Skipped.Add(new SkippedFile(path, first.Label == label
                        ? $"the same file as '{first.Path}' (reached again through a symbolic link): read once"
                        : $"the same file as '{first.Path}', which is under label '{first.Label}' (reached again through a symbolic link under label '{label}'): read once, with label '{first.Label}'",
                    SkipKind.ReadAlready));
                return;
            }
            files[real] = (path, label);
            Candidates.Add((path, label));
            progress.Found(Candidates.Count);
            imagesPerLabel[label] = imagesPerLabel.GetValueOrDefault(label) + 1;
        }
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string NotAnImage(string file) =>
        Path.GetExtension(file) is { Length: > 0 } extension ? $"not an image ({extension})" : "not an image (no extension)";

    private static bool IsHidden(string path)
    {
        if (Path.GetFileName(path).StartsWith('.'))
            return true;
        try
        {
            return (File.GetAttributes(path) & FileAttributes.Hidden) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;   // e.g. a symbolic link whose target is gone: reported when it is read
        }
    }
}
