namespace Ml.Trainers.Data;

/// <summary>One image of an <see cref="ImageFolder"/>.</summary>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="Label">Its label: the name of the label folder it is in (at any depth below it).</param>
/// <param name="Width">Width in pixels, from the file (<see cref="ImageFolderOptions.Check"/> Decode or Header); 0 with Check None.</param>
/// <param name="Height">Height in pixels, from the file (<see cref="ImageFolderOptions.Check"/> Decode or Header); 0 with Check None.</param>
public sealed record ImageFolderImage(string Path, string Label, int Width, int Height)
{
    /// <summary>
    /// SHA-256 of the file's bytes, lower-case hex: equal for exact copies (<see cref="ImageFolder.Duplicates(IEnumerable{ImageFolderImage}, IEnumerable{ImageFolderImage})"/>); null
    /// when the folder was read with <see cref="ImageFolderOptions.Check"/> None.
    /// </summary>
    public string? Sha256 { get; init; }
}
