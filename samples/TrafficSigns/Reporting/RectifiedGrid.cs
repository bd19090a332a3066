using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Ml.Trainers;

namespace TrafficSigns.Reporting;

/// <summary>rectified.png: the first test images as the network gets them (top) and what its classifier saw after the spatial transformer (bottom).</summary>
internal static class RectifiedGrid
{
    public static void Save(MLContext mlContext, IDataView scored, StnImageClassificationOptions settings, string path, int count = 8)
    {
        var first = mlContext.Data.TakeRows(scored, count);
        var rectified = first.GetColumn<float[]>(settings.RectifiedColumnName!).ToList();
        // The network's input, made the way the model makes it: ML.NET's resize and pixel extraction (planar RGB, [0, 1]).
        var inputs = mlContext.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(mlContext.Transforms.ResizeImages("Resized", settings.Transformer.ImageWidth, settings.Transformer.ImageHeight, "Image", ImageResizingEstimator.ResizingKind.Fill))
            .Append(mlContext.Transforms.ExtractPixels("Pixels", "Resized", interleavePixelColors: false, scaleImage: 1f / 255))
            .Fit(first).Transform(first).GetColumn<float[]>("Pixels").ToList();
        int outWidth = settings.Transformer.ImageWidth / settings.Transformer.Downsampling, outHeight = settings.Transformer.ImageHeight / settings.Transformer.Downsampling;
        ImageGrid.Save(
        [
            inputs.Select(p => (p, settings.Transformer.ImageWidth, settings.Transformer.ImageHeight)).ToList(),
            rectified.Select(r => (r, outWidth, outHeight)).ToList(),
        ], path);
    }
}
