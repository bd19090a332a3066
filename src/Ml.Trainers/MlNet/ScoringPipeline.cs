using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Transforms.MlNet;

namespace Ml.Trainers.MlNet;

/// <summary>
/// The fitted model returned to the user: ML.NET's own transformers only, so <c>mlContext.Model.Save</c> and
/// <c>Load</c> handle it natively. Image → (resize, extract pixels) → <c>ApplyOnnxModel</c> (the network's inference graph,
/// its bytes embedded in the zip) → 1-slot label text to scalar (<see cref="FirstSlotToScalarMapping"/>) →
/// <c>MapValueToKey</c> with the training classes as key data → drop the internal columns.
/// </summary>
internal static class ScoringPipeline
{
    public static ITransformer Build(MLContext mlContext, IDataView schemaSource, PixelInput image, LabelColumn label,
        StnImageClassificationOptions options, byte[] onnxModel)
    {
        var outputs = new List<string> { options.ScoreColumnName, StnColumnNames.PredictedLabelTextVector };
        if (options.WarpColumnName is { } warp) outputs.Add(warp);
        if (options.RectifiedColumnName is { } rectified) outputs.Add(rectified);

        var classes = mlContext.Data.LoadFromEnumerable(label.ClassLabels.Select(l => new ClassLabel { Value = l }));
        var pipeline = image.Preprocessing(mlContext)
            .Append(mlContext.Transforms.ApplyOnnxModel(outputs.ToArray(), [image.PixelsColumn], new MemoryStream(onnxModel)))
            .Append(mlContext.Transforms.CustomMapping(new FirstSlotToScalarMapping().GetMapping(), FirstSlotToScalarMapping.ContractName))
            .Append(mlContext.Transforms.Conversion.MapValueToKey(options.PredictedLabelColumnName, StnColumnNames.PredictedLabelText,
                keyData: classes))
            .Append(mlContext.Transforms.DropColumns([.. image.TemporaryColumns, StnColumnNames.PredictedLabelTextVector, StnColumnNames.PredictedLabelText]));
        return pipeline.Fit(schemaSource);
    }

    private sealed class ClassLabel
    {
        public string Value { get; set; } = "";
    }
}
