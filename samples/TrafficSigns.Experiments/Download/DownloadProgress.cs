namespace TrafficSigns.Experiments.Download;

/// <summary>How far one step of the download is, in bytes: of an archive received, or of its files unpacked.</summary>
/// <param name="Step">What is being done, e.g. "GTSRB_Final_Training_Images.zip" or "unpacking GTSRB_Final_Training_Images.zip".</param>
/// <param name="Bytes">Bytes received or unpacked so far (a resumed download starts at the bytes it already had).</param>
/// <param name="TotalBytes">The total, when known.</param>
internal readonly record struct DownloadProgress(string Step, long Bytes, long? TotalBytes);

/// <summary>Shows a download while it runs (a progress bar on the console; nothing, or a recorder, in tests).</summary>
internal interface IDownloadDisplay
{
    /// <summary>Runs <paramref name="download"/>, showing the progress it reports, and returns its result.</summary>
    T Show<T>(Func<Action<DownloadProgress>, T> download);
}
