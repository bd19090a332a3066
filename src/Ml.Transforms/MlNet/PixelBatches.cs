using System.Buffers;
using System.Runtime.InteropServices;
using Ml.Transforms.Imaging;
using Ml.Transforms.Training;
using static TorchSharp.torch;

namespace Ml.Transforms.MlNet;

/// <summary>
/// The batches of a data view for <see cref="MiniBatchLoop"/>, read as the pass goes: a background thread reads the rows
/// of the next batches in the loop's order (<see cref="PixelSource"/>: images decoded and resized in parallel) at most
/// <see cref="Prefetched"/> batches ahead of the training step, so that memory holds a few batches (plus a source's read
/// window) whatever the data's size. With a <see cref="PixelCache"/>, each row read is also kept, and later passes take
/// it from memory: every image is then decoded once in the whole run, and the first pass still starts at once.
/// Rows that cannot be read are left out of their batch (the source names them).
/// </summary>
internal sealed class PixelBatches : MiniBatchSource
{
    /// <summary>Batches read ahead of the training step, at most.</summary>
    public const int Prefetched = 4;

    private readonly PixelCache? cache;
    private readonly bool labelled;
    private int rowsHeld;
    private int peakRowsHeld;

    /// <param name="source">Where the rows come from.</param>
    /// <param name="cache">Keep every row read in memory (a run then decodes each image once).</param>
    /// <param name="labelled">Give each batch the rows' labels (the index's keys).</param>
    public PixelBatches(PixelSource source, bool cache, bool labelled)
    {
        Source = source;
        this.cache = cache ? new PixelCache(source.Index.Count, source.RowBytes) : null;
        this.labelled = labelled;
    }

    /// <summary>Where the rows come from (and the rows it could not read).</summary>
    public PixelSource Source { get; }

    /// <summary>Whether rows are kept in memory once read.</summary>
    public bool Cached => cache is not null;

    /// <summary>Bytes of pixels kept in memory (0 without a cache).</summary>
    public long CachedBytes => cache?.Bytes ?? 0;

    /// <summary>The most rows whose pixels were held at once in read windows and batches not yet trained on (the cache aside).</summary>
    public int PeakRowsHeld => Volatile.Read(ref peakRowsHeld);

    /// <inheritdoc />
    public override long Count => Source.Index.Count;

    /// <inheritdoc />
    public override IMiniBatchReader Open(Tensor order, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int[] rows;
        using (var access = order.data<long>())
            rows = Array.ConvertAll(access.ToArray(), r => (int)r);
        return new Reader(this, new BatchPrefetch<Prepared>(token => Produce(rows, batchSize, token), Prefetched, Release, cancellationToken));
    }

    /// <summary>A batch read: its rows' pixels (pooled), the rows, and the order's positions it covered.</summary>
    private sealed record Prepared(byte[] Pixels, int[] Rows, long Requested);

    private IEnumerable<Prepared> Produce(int[] order, int batchSize, CancellationToken cancellationToken)
    {
        int rowBytes = Source.RowBytes;
        int window = Source.ReadSize(batchSize);
        var readable = new bool[window];
        var toRead = new int[window];
        var slots = new int[window];
        var pixels = Rent(window, rowBytes);
        try
        {
            for (int start = 0; start < order.Length; start += window)
            {
                int w = Math.Min(window, order.Length - start);
                int missing = 0;
                for (int i = 0; i < w; i++)
                {
                    int row = order[start + i];
                    readable[i] = false;
                    if (cache?.Has(row) == true)
                    {
                        cache.Get(row, pixels.AsSpan(i * rowBytes, rowBytes));
                        readable[i] = true;
                    }
                    else if (!Source.IsUnreadable(row))
                    {
                        toRead[missing] = row;
                        slots[missing++] = i;
                    }
                }
                if (missing > 0)
                {
                    Source.Read(toRead, slots, missing, pixels, readable, cancellationToken);
                    if (cache is not null)
                        for (int k = 0; k < missing; k++)
                            if (readable[slots[k]])
                                cache.Put(toRead[k], pixels.AsSpan(slots[k] * rowBytes, rowBytes));
                }
                for (int first = 0; first < w; first += batchSize)
                {
                    int n = Math.Min(batchSize, w - first), good = 0;
                    for (int i = first; i < first + n; i++)
                        if (readable[i]) good++;
                    var batch = Rent(good, rowBytes);
                    var rows = new int[good];
                    for (int i = first, j = 0; i < first + n; i++)
                    {
                        if (!readable[i]) continue;
                        pixels.AsSpan(i * rowBytes, rowBytes).CopyTo(batch.AsSpan(j * rowBytes, rowBytes));
                        rows[j++] = order[start + i];
                    }
                    yield return new Prepared(batch, rows, n);
                }
            }
        }
        finally
        {
            Return(pixels, window);
        }
    }

    private byte[] Rent(int rows, int rowBytes)
    {
        int held = Interlocked.Add(ref rowsHeld, rows);
        int peak;
        while (held > (peak = Volatile.Read(ref peakRowsHeld)) && Interlocked.CompareExchange(ref peakRowsHeld, held, peak) != peak)
        {
        }
        return ArrayPool<byte>.Shared.Rent(Math.Max(1, rows * rowBytes));
    }

    private void Return(byte[] pixels, int rows)
    {
        Interlocked.Add(ref rowsHeld, -rows);
        ArrayPool<byte>.Shared.Return(pixels);
    }

    private void Release(Prepared batch) => Return(batch.Pixels, batch.Rows.Length);

    private sealed class Reader(PixelBatches batches, BatchPrefetch<Prepared> prefetch) : IMiniBatchReader
    {
        public MiniBatch Next()
        {
            var batch = prefetch.Take();
            try
            {
                var source = batches.Source;
                var input = source.Input;
                long n = batch.Rows.Length;
                var rows = tensor(batch.Rows.Select(r => (long)r).ToArray());
                Tensor images;
                if (source.Bytes)
                {
                    using var bytes = empty([n, input.Channels, input.Height, input.Width], ScalarType.Byte);
                    if (n > 0)
                    {
                        using var access = bytes.data<byte>();
                        access.CopyFrom(new ReadOnlySpan<byte>(batch.Pixels, 0, (int)n * source.RowBytes), 0, 0);
                    }
                    images = ImagePixels.ToFloat(bytes);
                }
                else
                {
                    images = empty([n, input.Channels, input.Height, input.Width], ScalarType.Float32);
                    if (n > 0)
                    {
                        using var access = images.data<float>();
                        access.CopyFrom(MemoryMarshal.Cast<byte, float>(new ReadOnlySpan<byte>(batch.Pixels, 0, (int)n * source.RowBytes)), 0, 0);
                    }
                }
                var labels = batches.labelled ? tensor(batch.Rows.Select(r => source.Index.Keys[r]).ToArray()) : null;
                return new MiniBatch(rows, images, labels, batch.Requested);
            }
            finally
            {
                batches.Release(batch);
            }
        }

        public void Dispose() => prefetch.Dispose();
    }
}
