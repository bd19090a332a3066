using static TorchSharp.torch;

namespace Ml.Transforms.Training;

/// <summary>
/// Where <see cref="MiniBatchLoop"/>'s batches come from: <see cref="Count"/> examples, read in the order the loop draws
/// (or in row order, for validation), a batch at a time. Tensors in memory (<see cref="TensorBatches"/>), or the rows of
/// an <c>IDataView</c> decoded ahead of the training step (<c>MlNet.PixelBatches</c>).
/// </summary>
internal abstract class MiniBatchSource : IDisposable
{
    /// <summary>Examples per pass.</summary>
    public abstract long Count { get; }

    /// <summary>
    /// Starts one pass over the examples in <paramref name="order"/> ((<see cref="Count"/>) int64 on the CPU, a
    /// permutation of 0..Count−1), <paramref name="batchSize"/> at a time: the reader's <see cref="IMiniBatchReader.Next"/>
    /// gives the batches in that order. Dispose the reader when the pass ends, or stops early.
    /// </summary>
    public abstract IMiniBatchReader Open(Tensor order, int batchSize, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }
}

/// <summary>One pass of a <see cref="MiniBatchSource"/>.</summary>
internal interface IMiniBatchReader : IDisposable
{
    /// <summary>
    /// The next batch; its tensors are made in the caller's current dispose scope. It holds the examples of the next
    /// batchSize positions of the order that could be read (fewer when some cannot be, e.g. damaged image files).
    /// </summary>
    MiniBatch Next();
}

/// <summary>A batch as the loop hands it to the caller's loss.</summary>
/// <param name="Rows">(n) int64 on the CPU: the examples' indices in 0..Count−1.</param>
/// <param name="Images">(n, C, H, W) float32 on the CPU, or null for a source of indices only.</param>
/// <param name="Labels">(n) int64 class indices on the CPU, or null for unlabelled data or a source of indices only.</param>
/// <param name="Requested">The order's positions this batch covered (n plus the examples that could not be read).</param>
internal sealed record MiniBatch(Tensor Rows, Tensor? Images, Tensor? Labels, long Requested)
{
    /// <summary>Examples in the batch.</summary>
    public long Count => Rows.shape[0];
}

/// <summary>Indices only: the caller selects the examples itself (the learned alignment's loop).</summary>
internal sealed class IndexBatches(long count) : MiniBatchSource
{
    /// <inheritdoc />
    public override long Count => count;

    /// <inheritdoc />
    public override IMiniBatchReader Open(Tensor order, int batchSize, CancellationToken cancellationToken) => new Reader(order, batchSize);

    private sealed class Reader(Tensor order, int batchSize) : IMiniBatchReader
    {
        private long start;

        public MiniBatch Next()
        {
            long n = Math.Min(batchSize, order.shape[0] - start);
            var rows = order.narrow(0, start, n);
            start += n;
            return new MiniBatch(rows, null, null, n);
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>
/// Examples held in memory as tensors: (N, C, H, W) images (float, or uint8 pixels that <see cref="Imaging.ImagePixels.ToFloat"/>
/// turns into floats) and (N) int64 labels, selected per batch with <c>index_select</c>.
/// </summary>
/// <param name="images">(N, C, H, W) float, or uint8 pixel bytes.</param>
/// <param name="labels">(N) int64, or null.</param>
internal sealed class TensorBatches(Tensor images, Tensor? labels) : MiniBatchSource
{
    private Tensor Images => images;

    private Tensor? Labels => labels;

    /// <inheritdoc />
    public override long Count => images.shape[0];

    /// <inheritdoc />
    public override IMiniBatchReader Open(Tensor order, int batchSize, CancellationToken cancellationToken) => new Reader(this, order, batchSize);

    private sealed class Reader(TensorBatches source, Tensor order, int batchSize) : IMiniBatchReader
    {
        private long start;

        public MiniBatch Next()
        {
            long n = Math.Min(batchSize, order.shape[0] - start);
            var rows = order.narrow(0, start, n);
            start += n;
            var x = source.Images.index_select(0, rows.to(source.Images.device));
            if (x.dtype == ScalarType.Byte)
                x = Imaging.ImagePixels.ToFloat(x);
            var y = source.Labels?.index_select(0, rows.to(source.Labels.device));
            return new MiniBatch(rows, x, y, n);
        }

        public void Dispose()
        {
        }
    }
}
