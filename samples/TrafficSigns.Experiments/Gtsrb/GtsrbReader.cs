namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Reads the annotations of the GTSRB training set in its official layout,
/// <c>Final_Training/Images/000NN/GT-000NN.csv</c> beside the images <c>TTTTT_FFFFF.ppm</c>, or in the Kaggle layout
/// (a folder holding <c>Train.csv</c>, read by <see cref="GtsrbKaggleReader"/>). Images are not decoded.
/// </summary>
internal static class GtsrbReader
{
    /// <summary>Every training sample, sorted by class, track, then frame.</summary>
    /// <param name="root">The folder holding <c>Final_Training</c>, <c>Final_Training</c> itself, <c>Final_Training/Images</c>, or the folder holding <c>GTSRB/Final_Training</c> (where the official archive was unpacked); or the top of the Kaggle layout (holding <c>Train.csv</c> and <c>Train/</c>).</param>
    /// <returns>The samples; image paths are full paths.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is missing or holds no class folders.</exception>
    /// <exception cref="InvalidDataException">An annotation file is missing or malformed, or an image name is not <c>TTTTT_FFFFF.ppm</c> (Kaggle: <c>CCCCC_TTTTT_FFFFF.png</c>).</exception>
    /// <exception cref="FileNotFoundException">Kaggle layout: a row of <c>Train.csv</c> names an image that is not there.</exception>
    public static IReadOnlyList<GtsrbSample> ReadTraining(string root) => ReadTraining(root, int.MaxValue);

    /// <summary>
    /// The training samples of the first <paramref name="maxTracksPerClass"/> tracks (lowest track ids) of each class,
    /// sorted by class, track, then frame: a small subset that keeps whole tracks.
    /// </summary>
    /// <param name="root">The folder holding <c>Final_Training</c>, <c>Final_Training</c> itself, <c>Final_Training/Images</c>, or the folder holding <c>GTSRB/Final_Training</c> (where the official archive was unpacked); or the top of the Kaggle layout (holding <c>Train.csv</c> and <c>Train/</c>).</param>
    /// <param name="maxTracksPerClass">Tracks kept per class, at least 1; <see cref="int.MaxValue"/> keeps all.</param>
    /// <returns>The samples; image paths are full paths.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTracksPerClass"/> is below 1.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is missing or holds no class folders.</exception>
    /// <exception cref="InvalidDataException">An annotation file is missing or malformed, or an image name is not <c>TTTTT_FFFFF.ppm</c> (Kaggle: <c>CCCCC_TTTTT_FFFFF.png</c>).</exception>
    /// <exception cref="FileNotFoundException">Kaggle layout: a row of <c>Train.csv</c> names an image that is not there.</exception>
    public static IReadOnlyList<GtsrbSample> ReadTraining(string root, int maxTracksPerClass)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTracksPerClass, 1);
        if (Directory.Exists(root) && GtsrbKaggleLayout.Holds(root))
            return KeepFirstTracks(GtsrbKaggleReader.ReadTraining(root), maxTracksPerClass);
        string images = GtsrbLayout.FindImagesFolder(root);
        var all = new List<GtsrbSample>();
        foreach (var (classId, folder) in GtsrbLayout.ClassFolders(images))
            all.AddRange(GtsrbAnnotationCsv.Read(GtsrbLayout.AnnotationFile(folder), classId));
        return KeepFirstTracks(all, maxTracksPerClass);
    }

    /// <summary>The samples of the first <paramref name="maxTracksPerClass"/> tracks of each class, sorted by class, track, then frame.</summary>
    private static IReadOnlyList<GtsrbSample> KeepFirstTracks(List<GtsrbSample> all, int maxTracksPerClass)
    {
        if (maxTracksPerClass < int.MaxValue)
        {
            var kept = all.GroupBy(s => s.ClassId)
                .SelectMany(g => g.Select(s => s.TrackId).Distinct().Order().Take(maxTracksPerClass).Select(t => (g.Key, t)))
                .ToHashSet();
            all.RemoveAll(s => !kept.Contains((s.ClassId, s.TrackId)));
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
