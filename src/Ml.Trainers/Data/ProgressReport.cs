using System.Diagnostics;

namespace Ml.Trainers.Data;

/// <summary>
/// <see cref="ImageFolderOptions.Progress"/> while a folder is read: calls at most every quarter second (and once at the
/// end of each stage), safe to feed from parallel workers.
/// </summary>
internal sealed class ProgressReport(Action<ImageFolderProgress>? callback)
{
    private static readonly long Interval = Stopwatch.Frequency / 4;

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly object gate = new();
    private long lastReport;
    private TimeSpan checkStart;
    private int total;
    private int checkedFiles;

    /// <summary>The listing found its <paramref name="files"/>-th image file.</summary>
    public void Found(int files)
    {
        if (callback is not null && Due())
            callback(new ImageFolderProgress(files, null, clock.Elapsed));
    }

    /// <summary>The listing is over: <paramref name="files"/> to check.</summary>
    public void Listed(int files)
    {
        total = files;
        checkStart = clock.Elapsed;
        callback?.Invoke(new ImageFolderProgress(files, null, clock.Elapsed));
    }

    /// <summary>One more file checked (any thread).</summary>
    public void Checked()
    {
        int done = Interlocked.Increment(ref checkedFiles);
        if (callback is null || !Due())
            return;
        lock (gate)
            callback(Checking(done));
    }

    /// <summary>Checking is over.</summary>
    public void Done()
    {
        if (callback is not null)
            lock (gate)
                callback(Checking(Volatile.Read(ref checkedFiles)));
    }

    private ImageFolderProgress Checking(int done)
    {
        var elapsed = clock.Elapsed;
        double seconds = (elapsed - checkStart).TotalSeconds;
        return new ImageFolderProgress(done, total, elapsed) { FilesPerSecond = seconds > 0 ? done / seconds : 0 };
    }

    /// <summary>True at most once per interval (any thread).</summary>
    private bool Due()
    {
        long now = clock.ElapsedTicks, last = Interlocked.Read(ref lastReport);
        return now - last >= Interval && Interlocked.CompareExchange(ref lastReport, now, last) == last;
    }
}
