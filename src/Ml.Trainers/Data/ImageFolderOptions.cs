namespace Ml.Trainers.Data;

/// <summary>Settings of <see cref="ImageFolder.Read"/>: which files count as images, what to do with damaged ones, column names.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>The default <see cref="Extensions"/>: the formats ML.NET's <c>LoadImages</c> decodes.</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } = Array.AsReadOnly(new[] { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" });

    /// <summary>
    /// File extensions read as images (case-insensitive, with the dot). Other files are skipped and listed in
    /// <see cref="ImageFolder.Skipped"/>. Default <see cref="DefaultExtensions"/>: png, jpg, jpeg, bmp, gif, webp.
    /// </summary>
    public IReadOnlyList<string> Extensions { get; set; } = DefaultExtensions;

    /// <summary>
    /// How each image file is checked while the folder is read: <see cref="ImageCheck.Decode"/> (default) decodes every
    /// pixel strictly, so that a damaged or unreadable file is found now, with its name, rather than inside training
    /// (where ML.NET reports "Invalid input stream contents" naming no file); <see cref="ImageCheck.Header"/> reads the
    /// bytes and header only, for folders whose images the trainer decodes itself (each image is then decoded once);
    /// <see cref="ImageCheck.None"/> only lists the files. Decode and Header record each image's size and the SHA-256 of
    /// its bytes (<see cref="ImageFolderImage.Sha256"/>, for finding exact duplicates).
    /// </summary>
    public ImageCheck Check { get; set; } = ImageCheck.Decode;

    /// <summary>
    /// Called while the folder is read, at most every quarter second and once at the end of each stage: files found while
    /// listing, then files checked of the total and the rate (<see cref="ImageFolderProgress"/>). From a worker thread;
    /// keep it short. Default null.
    /// </summary>
    public Action<ImageFolderProgress>? Progress { get; set; }

    /// <summary>
    /// With <see cref="Check"/> Decode or Header: true (default) leaves images found unreadable out and lists them in
    /// <see cref="ImageFolder.Skipped"/> (and in <c>mlContext.Log</c>); false throws an <see cref="InvalidDataException"/>
    /// naming them instead.
    /// </summary>
    public bool SkipUnreadableImages { get; set; } = true;

    /// <summary>
    /// Follow symbolic links (and Windows junctions) to files and folders. Either way each real file is one row and each
    /// real folder is read once: a file reached through a link as well keeps the label of the folder it is really in, a
    /// link to a folder that contains it (a loop) is never followed, and both are listed in <see cref="ImageFolder.Skipped"/>.
    /// Default true (a label folder may be a link to the images elsewhere, as torchvision's ImageFolder allows); false
    /// leaves every link out and lists it.
    /// </summary>
    public bool FollowSymbolicLinks { get; set; } = true;

    /// <summary>Name of the image-path column of <see cref="ImageFolder.ToDataView"/> (text, absolute paths). Default "ImagePath".</summary>
    public string ImagePathColumnName { get; set; } = "ImagePath";

    /// <summary>Name of the label column of <see cref="ImageFolder.ToDataView"/> (text: the label folder's name). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        if (Extensions is null || Extensions.Count == 0)
            throw new ArgumentException("Extensions must list at least one file extension, e.g. \".png\".", nameof(Extensions));
        foreach (var extension in Extensions)
            if (string.IsNullOrWhiteSpace(extension) || extension[0] != '.' || extension.Length < 2)
                throw new ArgumentException($"Extensions: '{extension}' is not a file extension; write it with its dot, e.g. \".png\".", nameof(Extensions));
        if (!Enum.IsDefined(Check))
            throw new ArgumentOutOfRangeException(nameof(Check), Check, "Check must be Decode, Header or None.");
        if (string.IsNullOrWhiteSpace(ImagePathColumnName))
            throw new ArgumentException("ImagePathColumnName must name a column.", nameof(ImagePathColumnName));
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("LabelColumnName must name a column.", nameof(LabelColumnName));
        if (ImagePathColumnName == LabelColumnName)
            throw new ArgumentException($"ImagePathColumnName and LabelColumnName are both '{LabelColumnName}'; give them different names.", nameof(LabelColumnName));
    }
}
