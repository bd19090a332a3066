using Ml.Trainers.Data;

namespace TrafficSigns.Data;

/// <summary>How <c>train --group</c> keeps related images of <c>--images</c> on one side of the split.</summary>
internal enum ImageGrouping
{
    /// <summary>Image by image (the default).</summary>
    None,

    /// <summary>The first subfolder below each label folder is a group (<c>cat/session-3/…</c>).</summary>
    Folder,

    /// <summary>The file name before its last '_' is a group, within its label (<c>00012_00029.png</c>: track 12).</summary>
    Prefix,
}

/// <summary>The group of an image of a folder: how <c>--group</c> keeps related images on one side of the split.</summary>
internal static class ImageGroups
{
    /// <summary>The split's group key of <paramref name="image"/>; an image outside any group is a group of its own (its path).</summary>
    public static string Key(ImageGrouping grouping, string root, ImageFolderImage image) => grouping switch
    {
        ImageGrouping.Folder => Folder(root, image) ?? image.Path,
        ImageGrouping.Prefix => Prefix(image.Path) is { } prefix ? image.Label + "/" + prefix : image.Path,
        _ => image.Path,
    };

    /// <summary>
    /// The first folder below the image's label folder, as "label/subfolder"; null for an image directly in its label
    /// folder (a group of its own).
    /// </summary>
    public static string? Folder(string root, ImageFolderImage image)
    {
        var parts = Path.GetRelativePath(root, image.Path).Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? parts[0] + "/" + parts[1] : null;
    }

    /// <summary>The file name up to its last '_' (<c>00012_00029.png</c> → <c>00012</c>); null for a name without '_' (a group of its own).</summary>
    public static string? Prefix(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        int at = name.LastIndexOf('_');
        return at > 0 ? name[..at] : null;
    }
}
