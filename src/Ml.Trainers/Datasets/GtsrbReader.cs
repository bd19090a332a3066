namespace Ml.Trainers.Datasets;

/// <summary>
/// Reads the annotations of the GTSRB training set in its official layout,
/// <c>Final_Training/Images/000NN/GT-000NN.csv</c> beside the images <c>TTTTT_FFFFF.ppm</c>. Images are not decoded.
/// </summary>
internal static class GtsrbReader
{
    /// <summary>Every training sample, sorted by class, track, then frame.</summary>
    /// <param name="root">The folder holding <c>Final_Training</c>, <c>Final_Training</c> itself, <c>Final_Training/Images</c>, or the folder holding <c>GTSRB/Final_Training</c> (where the official archive was unpacked).</param>
    /// <returns>The samples; image paths are full paths.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is missing or holds no class folders.</exception>
    /// <exception cref="InvalidDataException">An annotation file is missing or malformed, or an image name is not <c>TTTTT_FFFFF.ppm</c>.</exception>
    public static IReadOnlyList<GtsrbSample> ReadTraining(string root) => ReadTraining(root, int.MaxValue);

    /// <summary>
    /// The training samples of the first <paramref name="maxTracksPerClass"/> tracks (lowest track ids) of each class,
    /// sorted by class, track, then frame: a small subset that keeps whole tracks.
    /// </summary>
    /// <param name="root">The folder holding <c>Final_Training</c>, <c>Final_Training</c> itself, <c>Final_Training/Images</c>, or the folder holding <c>GTSRB/Final_Training</c> (where the official archive was unpacked).</param>
    /// <param name="maxTracksPerClass">Tracks kept per class, at least 1; <see cref="int.MaxValue"/> keeps all.</param>
    /// <returns>The samples; image paths are full paths.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTracksPerClass"/> is below 1.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is missing or holds no class folders.</exception>
    /// <exception cref="InvalidDataException">An annotation file is missing or malformed, or an image name is not <c>TTTTT_FFFFF.ppm</c>.</exception>
    public static IReadOnlyList<GtsrbSample> ReadTraining(string root, int maxTracksPerClass)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTracksPerClass, 1);
        string images = GtsrbLayout.FindImagesFolder(root);
        var all = new List<GtsrbSample>();
        foreach (var (classId, folder) in GtsrbLayout.ClassFolders(images))
        {
            var samples = GtsrbAnnotationCsv.Read(GtsrbLayout.AnnotationFile(folder), classId);
            if (maxTracksPerClass < int.MaxValue)
            {
                var kept = samples.Select(s => s.TrackId).Distinct().Order().Take(maxTracksPerClass).ToHashSet();
                samples.RemoveAll(s => !kept.Contains(s.TrackId));
            }
            all.AddRange(samples);
        }
        all.Sort(Compare);
        return all.AsReadOnly();
    }

    private static int Compare(GtsrbSample a, GtsrbSample b)
    {
        int c = a.ClassId.CompareTo(b.ClassId);
        if (c == 0) c = a.TrackId.CompareTo(b.TrackId);
        if (c == 0) c = a.FrameId.CompareTo(b.FrameId);
        return c != 0 ? c : string.CompareOrdinal(a.ImagePath, b.ImagePath);
    }
}
