namespace Ml.Transforms.Onnx;

/// <summary>Settings of <see cref="SpatialClassifierOnnxExporter"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Default of <see cref="OpsetVersion"/>.</summary>
    public const int DefaultOpsetVersion = 17;

    /// <summary>Lowest supported <see cref="OpsetVersion"/>: GridSample first appears in opset 16.</summary>
    public const int MinimumOpsetVersion = 16;

    /// <summary>Highest supported <see cref="OpsetVersion"/> (checked against ONNX Runtime 1.31).</summary>
    public const int MaximumOpsetVersion = 21;

    /// <summary>
    /// Adds the output <c>Warp</c>: float32 [N, P], the final warp parameters of each image (zeros for a model without a
    /// spatial transformer). Default false.
    /// </summary>
    public bool IncludeWarp { get; set; }

    /// <summary>
    /// Adds the output <c>Rectified</c>: float32 [N, C·Hout·Wout], the image the classifier saw (channel-major, like the
    /// input). Default false.
    /// </summary>
    public bool IncludeRectified { get; set; }

    /// <summary>
    /// Version of the default ONNX operator set the graph imports, from <see cref="MinimumOpsetVersion"/> to
    /// <see cref="MaximumOpsetVersion"/>. Default 17.
    /// </summary>
    public int OpsetVersion { get; set; } = DefaultOpsetVersion;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (OpsetVersion < MinimumOpsetVersion || OpsetVersion > MaximumOpsetVersion)
            throw new ArgumentOutOfRangeException(nameof(OpsetVersion), OpsetVersion,
                $"{nameof(OnnxExportOptions)}.{nameof(OpsetVersion)} must be between {MinimumOpsetVersion} (GridSample) and {MaximumOpsetVersion}.");
    }
}
