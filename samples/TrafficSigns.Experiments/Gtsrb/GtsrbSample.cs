namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// One GTSRB image: of the training set (<see cref="GtsrbReader"/>) or of the official test set (<see cref="GtsrbTestReader"/>),
/// in the official layout or in the Kaggle layout (<see cref="GtsrbKaggleReader"/>).
/// </summary>
/// <param name="ImagePath">Full path of the image: a PPM file in the official layout, a PNG file in the Kaggle layout (<see cref="GtsrbKaggleReader"/>).</param>
/// <param name="ClassId">Traffic-sign class, 0..42 in the official set (see <see cref="GtsrbClasses"/>).</param>
/// <param name="TrackId">
/// Track (one physical sign, about 30 consecutive frames), from the training file name <c>TTTTT_FFFFF.ppm</c>
/// (Kaggle layout: <c>CCCCC_TTTTT_FFFFF.png</c>);
/// <see cref="NoTrack"/> for official test images, which come in random order without tracks.
/// </param>
/// <param name="FrameId">
/// Frame within the track, from the training file name <c>TTTTT_FFFFF.ppm</c>; for an official test image, its number
/// <c>NNNNN</c> from <c>NNNNN.ppm</c>.
/// </param>
internal sealed record GtsrbSample(string ImagePath, int ClassId, int TrackId, int FrameId)
{
    /// <summary>
    /// The <see cref="TrackId"/> of official test images, -1: the test set has no track structure (its readme says the
    /// images are "in random order, ie. there is no track structure"), and training track ids are never negative.
    /// </summary>
    public const int NoTrack = -1;

    /// <summary>
    /// Width of the ORIGINAL crop as the annotation CSV gives it; the PPM on disk may have been resized (e.g. to 32×32),
    /// so read the real size from the image. 0 when unknown.
    /// </summary>
    public int OriginalWidth { get; init; }

    /// <summary>Height of the ORIGINAL crop as the annotation CSV gives it (see <see cref="OriginalWidth"/>). 0 when unknown.</summary>
    public int OriginalHeight { get; init; }

    /// <summary>
    /// The sign's region of interest in ORIGINAL crop pixels; scale it by (image width / <see cref="OriginalWidth"/>,
    /// image height / <see cref="OriginalHeight"/>) for a resized image.
    /// </summary>
    public GtsrbRoi Roi { get; init; }

    /// <summary>
    /// The class name the data folder gives (the Kaggle layout's <c>signnames.csv</c>); null when it gives none, then use
    /// <see cref="GtsrbClasses.Name"/>.
    /// </summary>
    public string? ClassName { get; init; }
}
