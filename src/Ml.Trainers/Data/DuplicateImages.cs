namespace Ml.Trainers.Data;

/// <summary>Files with the same bytes on both sides of a split (or in two folders): see <see cref="ImageFolder.Duplicates(IEnumerable{ImageFolderImage}, IEnumerable{ImageFolderImage})"/>.</summary>
/// <param name="Sha256">SHA-256 of the bytes, lower-case hex.</param>
/// <param name="First">The copies on the first side (paths, ordinal order).</param>
/// <param name="Second">The copies on the second side (paths, ordinal order).</param>
public sealed record DuplicateImages(string Sha256, IReadOnlyList<string> First, IReadOnlyList<string> Second);
