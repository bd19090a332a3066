namespace Ml.Transforms.MlNet;

/// <summary>
/// The pixels of every row of a data set kept in memory once read (bytes for images: C×H×W a row), in chunks of at most
/// 64 MB allocated as rows arrive, so that a run decodes each image once. Used by one reader at a time.
/// </summary>
internal sealed class PixelCache
{
    private const int ChunkBytes = 64 << 20;
    private readonly int rowBytes;
    private readonly int rowsPerChunk;
    private readonly byte[]?[] chunks;
    private readonly bool[] filled;

    /// <param name="rows">Rows of the data set.</param>
    /// <param name="rowBytes">Bytes a row's pixels take.</param>
    public PixelCache(int rows, int rowBytes)
    {
        this.rowBytes = rowBytes;
        rowsPerChunk = Math.Max(1, ChunkBytes / rowBytes);
        chunks = new byte[(rows + rowsPerChunk - 1) / rowsPerChunk][];
        filled = new bool[rows];
    }

    /// <summary>Bytes the cache holds now.</summary>
    public long Bytes => chunks.Sum(c => (long)(c?.Length ?? 0));

    /// <summary>Whether <paramref name="row"/> is cached.</summary>
    public bool Has(int row) => filled[row];

    /// <summary>Caches row <paramref name="row"/>'s pixels.</summary>
    public void Put(int row, ReadOnlySpan<byte> pixels)
    {
        int chunk = row / rowsPerChunk;
        var bytes = chunks[chunk] ??= new byte[(long)Math.Min(rowsPerChunk, filled.Length - chunk * rowsPerChunk) * rowBytes];
        pixels[..rowBytes].CopyTo(bytes.AsSpan(row % rowsPerChunk * rowBytes, rowBytes));
        filled[row] = true;
    }

    /// <summary>Copies cached row <paramref name="row"/> into <paramref name="destination"/>.</summary>
    public void Get(int row, Span<byte> destination) =>
        chunks[row / rowsPerChunk]!.AsSpan(row % rowsPerChunk * rowBytes, rowBytes).CopyTo(destination);
}
