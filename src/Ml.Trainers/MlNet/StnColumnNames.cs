namespace Ml.Trainers.MlNet;

/// <summary>Names of the internal columns and ONNX tensors of a trained STN model (all dropped from the scored output).</summary>
public static class StnColumnNames
{
    /// <summary>The ONNX label-text output: a 1-slot string vector per row.</summary>
    public const string PredictedLabelTextVector = "StnPredictedLabelVector";

    /// <summary>The label text as a scalar, before <c>MapValueToKey</c>.</summary>
    public const string PredictedLabelText = "StnPredictedLabelText";
}
