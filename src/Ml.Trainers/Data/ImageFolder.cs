using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Trainers.Data;

/// <summary>
/// The images of a folder with one subfolder per label — the layout of Model Builder, ML.NET's image-classification
/// samples and torchvision's <c>ImageFolder</c>: <c>root/cat/1.jpg</c>, <c>root/dog/puppies/2.png</c>. The label is the
/// name of the first-level subfolder; images may sit at any depth below it, in any size, grayscale, RGB or RGBA, as
/// png, jpg, bmp, gif or webp. Hidden files and folders, files of other types, images directly in the root and images
/// that cannot be decoded are left out and listed in <see cref="Skipped"/>. Labels and images are in ordinal order of
/// their names and paths, so reading the same folder twice gives the same rows.
/// </summary>
public sealed class ImageFolder
{
    private ImageFolder(string folder, ImageFolderOptions options, IReadOnlyList<ImageFolderImage> images, IReadOnlyList<SkippedFile> skipped)
    {
        Folder = folder;
        Options = options;
        Images = images;
        Skipped = skipped;
        ImageCounts = images.GroupBy(i => i.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Labels = ImageCounts.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The root folder, as an absolute path.</summary>
    public string Folder { get; }

    /// <summary>The options it was read with.</summary>
    public ImageFolderOptions Options { get; }

    /// <summary>The labels (label folders holding at least one image), in ordinal order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Every image, by label, then by path (ordinal).</summary>
    public IReadOnlyList<ImageFolderImage> Images { get; }

    /// <summary>Images per label.</summary>
    public IReadOnlyDictionary<string, int> ImageCounts { get; }

    /// <summary>The files and folders left out, and why.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>One line: images, labels and what was skipped, e.g. "9,873 images in 10 labels; skipped 3: 2 hidden, 1 not an image".</summary>
    public string Summary
    {
        get
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{Images.Count:N0} images in {Labels.Count} label{(Labels.Count == 1 ? "" : "s")}");
            if (Skipped.Count == 0)
                return text + "; nothing skipped";
            var kinds = Skipped.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {Describe(g.Key)}"));
            return text + string.Create(CultureInfo.InvariantCulture, $"; skipped {Skipped.Count}: {string.Join(", ", kinds)}");
        }
    }

    /// <summary>Reads the folder: lists the label folders and their images, checking each image file (<see cref="ImageFolderOptions.Check"/>: by default decoding it once).</summary>
    /// <param name="folder">The root folder, holding one subfolder per label.</param>
    /// <param name="options">Extensions, decoding and column names; null = defaults.</param>
    /// <param name="cancellationToken">Checked between files.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (or is a file).</exception>
    /// <exception cref="InvalidDataException">No label folder holds an image (the message says what was found instead), or, with
    /// <see cref="ImageFolderOptions.SkipUnreadableImages"/> off, an image cannot be decoded (the message names it).</exception>
    public static ImageFolder Read(string folder, ImageFolderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new ImageFolderOptions();
        options.Validate();
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException(File.Exists(root)
                ? $"Image folder '{root}' is a file, not a folder. Give the folder that holds one subfolder per label."
                : $"Image folder '{root}' does not exist. Give the folder that holds one subfolder per label (e.g. '{Path.Combine(root, "cat", "1.jpg")}').");

        var scan = ImageFolderScan.Run(root, options, cancellationToken);
        if (scan.Images.Count == 0)
            throw new InvalidDataException(NothingFound(root, scan));
        var unreadable = scan.Skipped.Where(s => s.Kind == SkipKind.Unreadable).ToList();
        if (unreadable.Count > 0 && !options.SkipUnreadableImages)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{unreadable.Count} image(s) in '{root}' could not be decoded, so nothing was read: {string.Join("; ", unreadable.Take(5).Select(s => $"'{s.Path}' ({s.Reason})"))}{(unreadable.Count > 5 ? $" and {unreadable.Count - 5} more" : "")}. Remove or replace them, or set SkipUnreadableImages to leave them out."));
        return new ImageFolder(root, options, scan.Images, scan.Skipped);
    }

    /// <summary>
    /// The images as ML.NET rows: <see cref="ImageFolderOptions.ImagePathColumnName"/> (text, absolute path: give
    /// <c>LoadImages</c> <c>imageFolder: null</c>) and <see cref="ImageFolderOptions.LabelColumnName"/> (text; map it
    /// with <c>MapValueToKey</c>), in <see cref="Images"/> order.
    /// </summary>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[nameof(ImageRow.ImagePath)].ColumnName = Options.ImagePathColumnName;
        schema[nameof(ImageRow.Label)].ColumnName = Options.LabelColumnName;
        return mlContext.Data.LoadFromEnumerable(Images.Select(i => new ImageRow { ImagePath = i.Path, Label = i.Label }).ToList(), schema);
    }

    /// <summary>
    /// Checks that <paramref name="other"/> (e.g. a test folder) has exactly this folder's labels, naming the labels that
    /// are only in one of them.
    /// </summary>
    /// <exception cref="InvalidDataException">The labels differ.</exception>
    public void EnsureSameLabels(ImageFolder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var missing = Labels.Except(other.Labels, StringComparer.Ordinal).ToList();
        var extra = other.Labels.Except(Labels, StringComparer.Ordinal).ToList();
        if (missing.Count == 0 && extra.Count == 0)
            return;
        var parts = new List<string>();
        if (extra.Count > 0)
            parts.Add($"'{other.Folder}' has label folder(s) that '{Folder}' lacks: {Quote(extra)} — a model trained on '{Folder}' can never predict them");
        if (missing.Count > 0)
            parts.Add($"'{other.Folder}' lacks label folder(s) of '{Folder}': {Quote(missing)}");
        throw new InvalidDataException($"The two image folders have different labels: {string.Join("; ", parts)}. Give both folders the same label subfolders (names are case-sensitive).");
    }

    /// <summary>
    /// Exact copies (the same bytes, by <see cref="ImageFolderImage.Sha256"/>) that are among the images of both
    /// <paramref name="first"/> and <paramref name="second"/>, e.g. of the training and the test part of a split, or of two
    /// folders: a copy on both sides makes the test score optimistic (the model was trained on that very image). Images
    /// read with <see cref="ImageFolderOptions.Check"/> None have no hash and are not compared.
    /// </summary>
    /// <returns>One entry per duplicated content, in ordinal order of the first path; empty when there is none.</returns>
    public static IReadOnlyList<DuplicateImages> Duplicates(IEnumerable<ImageFolderImage> first, IEnumerable<ImageFolderImage> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var firstByHash = first.Where(i => i.Sha256 is not null).GroupBy(i => i.Sha256!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Path).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return second.Where(i => i.Sha256 is not null && firstByHash.ContainsKey(i.Sha256)).GroupBy(i => i.Sha256!, StringComparer.Ordinal)
            .Select(g => new DuplicateImages(g.Key, firstByHash[g.Key], g.Select(i => i.Path).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(d => d.First[0], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// <see cref="Duplicates(IEnumerable{ImageFolderImage}, IEnumerable{ImageFolderImage})"/> for two parts of this folder's
    /// rows, e.g. <c>split.Train</c> and <c>split.Test</c> of <c>mlContext.Data.StratifiedSplit(folder.ToDataView(mlContext))</c>:
    /// their <see cref="ImageFolderOptions.ImagePathColumnName"/> column is matched to <see cref="Images"/> (paths of other
    /// folders are not compared).
    /// </summary>
    /// <exception cref="ArgumentException">A part has no text column of that name.</exception>
    public IReadOnlyList<DuplicateImages> Duplicates(IDataView first, IDataView second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var byPath = Images.ToDictionary(i => i.Path, StringComparer.Ordinal);
        return Duplicates(ImagesOf(first, byPath, nameof(first)), ImagesOf(second, byPath, nameof(second)));
    }

    private List<ImageFolderImage> ImagesOf(IDataView part, Dictionary<string, ImageFolderImage> byPath, string parameter)
    {
        if (part.Schema.GetColumnOrNull(Options.ImagePathColumnName) is not { Type: TextDataViewType } column)
            throw new ArgumentException($"The data have no text column '{Options.ImagePathColumnName}' (the image paths of ImageFolder.ToDataView).", parameter);
        var images = new List<ImageFolderImage>();
        using var cursor = part.GetRowCursor([column]);
        var getPath = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> path = default;
        while (cursor.MoveNext())
        {
            getPath(ref path);
            if (byPath.TryGetValue(path.ToString(), out var image))
                images.Add(image);
        }
        return images;
    }

    private static string Quote(IEnumerable<string> labels) => string.Join(", ", labels.Take(10).Select(l => $"'{l}'")) + (labels.Count() > 10 ? $" and {labels.Count() - 10} more" : "");

    private static string NothingFound(string root, ImageFolderScan.Result scan)
    {
        int subfolders = scan.Skipped.Count(s => s.Kind == SkipKind.EmptyLabelFolder);
        int loose = scan.Skipped.Count(s => s.Kind == SkipKind.NoLabelFolder);
        int unreadable = scan.Skipped.Count(s => s.Kind == SkipKind.Unreadable);
        string found = scan.Skipped.Count == 0 ? "it is empty"
            : string.Create(CultureInfo.InvariantCulture, $"found {subfolders} label folder(s) without images, {loose} image(s) directly in it (not in a label folder), {unreadable} image(s) that could not be decoded, {scan.Skipped.Count - subfolders - loose - unreadable} other file(s) skipped");
        return $"Image folder '{root}' holds no images in label folders ({found}). Put the images in one subfolder per label, named after the label: '{Path.Combine(root, "cat", "1.jpg")}', '{Path.Combine(root, "dog", "2.png")}'. Image types read: {string.Join(", ", ImageFolderOptions.DefaultExtensions)}.";
    }

    private static string Describe(SkipKind kind) => kind switch
    {
        SkipKind.Hidden => "hidden",
        SkipKind.NotAnImage => "not an image",
        SkipKind.NoLabelFolder => "not in a label folder",
        SkipKind.Unreadable => "could not be decoded",
        SkipKind.EmptyLabelFolder => "empty label folder(s)",
        SkipKind.ReadAlready => "reached again through a link (read once)",
        SkipKind.LinkLoop => "link loop(s), not followed",
        SkipKind.SymbolicLink => "symbolic link(s), not followed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown skip kind."),
    };

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
