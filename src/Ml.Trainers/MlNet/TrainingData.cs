using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Trainers.MlNet;

/// <summary>Reads an <see cref="IDataView"/> into tensors through the same ML.NET preprocessing the saved model uses.</summary>
internal static class TrainingData
{
    /// <summary>
    /// Images (N, C, H, W) float32 in [0, 1] and labels (N) int64 (key − 1). Rows with a missing label (key 0) are skipped,
    /// as ML.NET's trainers do; NaN or infinite pixels are an error naming the row.
    /// </summary>
    public static (Tensor Images, Tensor Labels) Read(MLContext mlContext, IDataView data, ImageColumn image, LabelColumn label,
        StnImageClassificationOptions options, string dataName, CancellationToken cancellationToken)
    {
        var pixels = image.Preprocessing(mlContext, options).Fit(data).Transform(data);
        var pixelColumn = pixels.Schema[ImageColumn.PixelsColumn];
        var labelColumn = pixels.Schema[label.Name];
        int size = options.Channels * options.ImageHeight * options.ImageWidth;
        var values = new List<float[]>();
        var labels = new List<long>();
        using (var cursor = pixels.GetRowCursor([pixelColumn, labelColumn]))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(pixelColumn);
            var getLabel = cursor.GetGetter<uint>(labelColumn);
            VBuffer<float> buffer = default;
            uint key = 0;
            long row = -1;
            while (cursor.MoveNext())
            {
                row++;
                if ((row & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                getLabel(ref key);
                if (key == 0) continue;
                getPixels(ref buffer);
                if (buffer.Length != size)
                    throw new InvalidOperationException($"Row {row} of the {dataName} has {buffer.Length} pixel values; expected {size}.");
                var dense = new float[size];
                buffer.CopyTo(dense);
                for (int i = 0; i < dense.Length; i++)
                    if (!float.IsFinite(dense[i]))
                        throw new InvalidOperationException(
                            $"Row {row} of the {dataName} has a {dense[i]} pixel in column '{options.ImageColumnName}'. Remove or repair such rows (e.g. mlContext.Data.FilterRowsByMissingValues) before training.");
                values.Add(dense);
                labels.Add(key - 1);
            }
        }
        if (values.Count == 0)
            throw new InvalidOperationException(
                $"The {dataName} has no rows with a label; the trainer needs at least one labelled image.");
        var all = new float[(long)values.Count * size];
        for (int i = 0; i < values.Count; i++)
            values[i].CopyTo(all, (long)i * size);
        var images = tensor(all, [values.Count, options.Channels, options.ImageHeight, options.ImageWidth]);
        return (images, tensor(labels.ToArray()));
    }
}
