using System.Collections.Concurrent;
using Microsoft.ML;

namespace Ml.Transforms.MlNet;

/// <summary>
/// Reads the network input of chosen rows of a data view (the rows of a <see cref="PixelRowIndex"/>): for image paths,
/// decodes and resizes the files itself (<see cref="PathPixelSource"/>: any row at any time, in parallel); for an ML.NET
/// image column or a float pixel vector, runs the view's own transforms through cursors (<see cref="CursorPixelSource"/>).
/// A row's pixels are <see cref="RowBytes"/> bytes: one per value for images (channel-major RGB bytes,
/// <see cref="Imaging.ImagePixels"/>), a float32 per value for pixel vectors.
/// </summary>
internal abstract class PixelSource
{
    private readonly ConcurrentDictionary<int, (string Name, string Reason)> unreadable = new();

    protected PixelSource(PixelInput input, PixelRowIndex index, string dataName)
    {
        Input = input;
        Index = index;
        DataName = dataName;
    }

    /// <summary>The image input.</summary>
    public PixelInput Input { get; }

    /// <summary>The rows read (indices below are into it).</summary>
    public PixelRowIndex Index { get; }

    /// <summary>"training data", "validation set"... for messages.</summary>
    public string DataName { get; }

    /// <summary>True when a row's values are bytes (images), false for float32 (pixel vectors).</summary>
    public bool Bytes => Input.IsImage;

    /// <summary>Bytes a row's pixels take: C×H×W for images, 4×C×H×W for pixel vectors.</summary>
    public int RowBytes => Bytes ? Input.Size : Input.Size * sizeof(float);

    /// <summary>
    /// Rows that could not be read and were left out (index row → the file or row, and why), in the order found; they
    /// are not read again.
    /// </summary>
    public IReadOnlyList<(int Row, string Name, string Reason)> Unreadable =>
        unreadable.OrderBy(u => u.Key).Select(u => (u.Key, u.Value.Name, u.Value.Reason)).ToList();

    /// <summary>Whether <paramref name="row"/> was found unreadable.</summary>
    public bool IsUnreadable(int row) => unreadable.ContainsKey(row);

    /// <summary>How many rows to ask <see cref="Read"/> for at once when reading batches of <paramref name="batchSize"/>: a multiple of it.</summary>
    public abstract int ReadSize(int batchSize);

    /// <summary>
    /// Reads rows <paramref name="rows"/>[0..<paramref name="count"/>) (index rows, any order) into
    /// <paramref name="destination"/>: row k into slot <paramref name="slots"/>[k] (at slot × <see cref="RowBytes"/>);
    /// <paramref name="readable"/>[slot] says whether it could be read (a row that could not is recorded in
    /// <see cref="Unreadable"/>).
    /// </summary>
    public abstract void Read(int[] rows, int[] slots, int count, byte[] destination, bool[] readable, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>, throwing a worker's exception itself (the first
    /// one) rather than wrapped in an <see cref="AggregateException"/>.
    /// </summary>
    protected static void ForEach(int count, int workers, Action<int> body, CancellationToken cancellationToken)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    /// <summary>Records an unreadable row (the first reason wins).</summary>
    protected void MarkUnreadable(int row, string name, string reason) => unreadable.TryAdd(row, (name, reason));

    /// <summary>The source for <paramref name="data"/>: decoded by the library for image paths, else through the view's cursors.</summary>
    public static PixelSource Create(MLContext mlContext, IDataView data, PixelInput input, PixelRowIndex index, string dataName) =>
        input.IsPath ? new PathPixelSource(input, index, dataName) : new CursorPixelSource(mlContext, data, input, index, dataName);
}
