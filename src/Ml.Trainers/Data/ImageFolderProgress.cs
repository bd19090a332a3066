namespace Ml.Trainers.Data;

/// <summary>
/// How far <see cref="ImageFolder.Read"/> has got (<see cref="ImageFolderOptions.Progress"/>): first while it lists the
/// folder (<see cref="Total"/> null: <see cref="Files"/> image files found so far), then while it checks them
/// (<see cref="Files"/> of <see cref="Total"/> checked).
/// </summary>
/// <param name="Files">Image files found (listing) or checked (checking) so far.</param>
/// <param name="Total">Image files to check; null while the folder is being listed.</param>
/// <param name="Elapsed">Time since the read started.</param>
public sealed record ImageFolderProgress(int Files, int? Total, TimeSpan Elapsed)
{
    /// <summary>Files checked per second since checking started (0 while listing).</summary>
    public double FilesPerSecond { get; init; }
}
