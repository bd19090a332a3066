namespace Ml.Trainers.MlNet;

/// <summary>Names of the internal columns and ONNX tensors of a trained STN model (all dropped from the scored output).</summary>
internal static class StnColumnNames
{
    /// <summary>The network input made from an image column: pixels in [0, 1], channel-major (a pixel-vector column is the input under its own name).</summary>
    public const string Pixels = "StnPixels";

    /// <summary>The ONNX label-text output: a 1-slot string vector per row.</summary>
    public const string PredictedLabelTextVector = "StnPredictedLabelVector";

    /// <summary>The label text as a scalar, before <c>MapValueToKey</c>.</summary>
    public const string PredictedLabelText = "StnPredictedLabelText";
}
