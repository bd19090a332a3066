using Ml.Trainers.Export;
using Ml.Transforms.MlNet;
using Ml.Transforms.Modules;
using Ml.Transforms.Onnx;

namespace Ml.Trainers.MlNet;

/// <summary>
/// The ONNX graph a trained model scores with: the network's inference graph, its tensors renamed to the columns the
/// ML.NET chain reads and writes, and the <see cref="StnGraphMetadata"/> that lets <see cref="StnOnnxGraph"/> describe
/// it after export.
/// </summary>
internal static class ScoringGraph
{
    /// <param name="network">The trained float32 classifier, in eval mode, on the CPU.</param>
    /// <param name="image">The image column and the network input size.</param>
    /// <param name="label">The label column (class labels in key order).</param>
    /// <param name="options">The trainer's options (optional outputs and column names).</param>
    /// <returns>The bytes of the ONNX model embedded in the ML.NET chain.</returns>
    public static byte[] Export(SpatialClassifier network, PixelInput image, LabelColumn label, StnImageClassificationOptions options)
    {
        var exported = SpatialClassifierOnnxExporter.Export(network, label.ClassLabels,
            new OnnxExportOptions { IncludeWarp = options.WarpColumnName is not null, IncludeRectified = options.RectifiedColumnName is not null });
        var renamed = OnnxTensorRenaming.Rename(exported, new Dictionary<string, string>
        {
            [SpatialClassifierOnnxExporter.InputName] = image.PixelsColumn,
            [SpatialClassifierOnnxExporter.ScoreName] = options.ScoreColumnName,
            [SpatialClassifierOnnxExporter.PredictedLabelName] = StnColumnNames.PredictedLabelTextVector,
            [SpatialClassifierOnnxExporter.WarpName] = options.WarpColumnName ?? SpatialClassifierOnnxExporter.WarpName,
            [SpatialClassifierOnnxExporter.RectifiedName] = options.RectifiedColumnName ?? SpatialClassifierOnnxExporter.RectifiedName,
        });
        var metadata = new StnGraphMetadata(image.IsImage, image.Channels, image.Height, image.Width, label.ClassLabels,
            options.ScoreColumnName, StnColumnNames.PredictedLabelTextVector,
            options.WarpColumnName, options.RectifiedColumnName);
        return metadata.AddTo(renamed);
    }
}
