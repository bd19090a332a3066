namespace Ml.Trainers.Data;

/// <summary>A file or folder <see cref="ImageFolder.Read"/> left out, and why.</summary>
/// <param name="Path">Absolute path of the file or folder.</param>
/// <param name="Reason">Why, in words: "hidden", "not an image (.txt)", "not in a label folder", "could not be decoded: …", "empty label folder", "a symbolic link to …: a loop".</param>
/// <param name="Kind">The reason as a value, for counting.</param>
public sealed record SkippedFile(string Path, string Reason, SkipKind Kind);

/// <summary>Why <see cref="ImageFolder.Read"/> left a file or folder out.</summary>
public enum SkipKind
{
    /// <summary>A hidden file or folder (its name starts with '.', or it has the hidden attribute), e.g. .DS_Store.</summary>
    Hidden,

    /// <summary>A file whose extension is not in <see cref="ImageFolderOptions.Extensions"/>, e.g. Thumbs.db or notes.txt.</summary>
    NotAnImage,

    /// <summary>An image directly in the root folder, where it has no label folder.</summary>
    NoLabelFolder,

    /// <summary>An image that could not be read or decoded (empty, damaged, not the format its name says, no permission).</summary>
    Unreadable,

    /// <summary>A label folder that holds no image: that label is left out.</summary>
    EmptyLabelFolder,

    /// <summary>
    /// A file or folder reached a second time through a symbolic link (or a junction): each real file is one row, each
    /// real folder is read once. A file keeps the label of the folder it is really in.
    /// </summary>
    ReadAlready,

    /// <summary>A symbolic link to a folder that contains it (e.g. <c>cats/loop -&gt; ..</c>): a loop, never followed.</summary>
    LinkLoop,

    /// <summary>A symbolic link, left out because <see cref="ImageFolderOptions.FollowSymbolicLinks"/> is off.</summary>
    SymbolicLink,
}
