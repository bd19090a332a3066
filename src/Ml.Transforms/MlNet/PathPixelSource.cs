using Ml.Transforms.Imaging;

namespace Ml.Transforms.MlNet;

/// <summary>
/// Image files read by path: each file decoded by the library's decoder (<see cref="ImageDecoder"/>, which names the file
/// and says what is wrong with one it refuses), resized and read as RGB bytes (<see cref="ImagePixels"/>: the pixels
/// ML.NET's <c>LoadImages</c>, <c>ResizeImages</c> and <c>ExtractPixels</c> make of it), one file per worker thread at a
/// time, so that no full-size image outlives its resize. Any row can be read at any time; a file that cannot be decoded
/// (or an empty path) is left out and recorded, and not tried again.
/// </summary>
internal sealed class PathPixelSource(PixelInput input, PixelRowIndex index, string dataName) : PixelSource(input, index, dataName)
{
    /// <summary>Files decoded at once: one per core.</summary>
    private static readonly int Workers = Math.Max(1, Environment.ProcessorCount);

    /// <inheritdoc />
    public override int ReadSize(int batchSize) => batchSize;

    /// <inheritdoc />
    public override void Read(int[] rows, int[] slots, int count, byte[] destination, bool[] readable, CancellationToken cancellationToken)
    {
        var paths = Index.Paths!;
        int rowBytes = RowBytes;
        ForEach(count, Workers, k =>
        {
            int row = rows[k], slot = slots[k];
            string path = paths[row];
            readable[slot] = false;
            if (IsUnreadable(row))
                return;
            if (string.IsNullOrWhiteSpace(path))
            {
                MarkUnreadable(row, $"row {Index.SourceRows[row]}", $"Row {Index.SourceRows[row]} of the {DataName} has an empty image path in column '{Input.Name}'.");
                return;
            }
            try
            {
                using var bitmap = ImageDecoder.DecodeBitmap(path);   // no copy into an MLImage: a large photo is held once
                ImagePixels.Extract(bitmap, Input.Width, Input.Height, destination.AsSpan(slot * rowBytes, rowBytes));
                readable[slot] = true;
            }
            catch (InvalidDataException e)
            {
                MarkUnreadable(row, path, e.Message);
            }
        }, cancellationToken);
    }
}
