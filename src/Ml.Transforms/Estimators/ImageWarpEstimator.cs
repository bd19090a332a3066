using Ml.Transforms.Geometry;
using Ml.Transforms.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Warps images (or pixel vectors) with a given warp: the same parameters for every row, or a warp per row from a
/// column (<see cref="ImageWarpOptions"/>). <see cref="Fit"/> learns nothing: it returns a chain of ML.NET's own
/// transformers around an ONNX graph of the warp (resize, extract pixels, <c>ApplyOnnxModel</c>, and
/// <c>ConvertToImage</c> for an image input), so the transform saves and loads through ML.NET's public API and scores
/// without libtorch. The output has the input's kind: an image column gives an image column, a pixel vector a pixel
/// vector (C×Hout×Wout, channel-major). A row with a NaN or infinite per-row parameter comes out black, a singular
/// per-row warp gives a flat row, and a pixel-vector row with a NaN or infinite pixel comes out all NaN.
/// </summary>
public sealed class ImageWarpEstimator : IEstimator<ITransformer>
{
    private readonly PixelTransformChain chain;
    private readonly ImageWarpOptions options;

    /// <summary>Use <c>mlContext.Transforms.WarpImages(...)</c>.</summary>
    internal ImageWarpEstimator(MLContext mlContext, string outputColumnName, string inputColumnName, ImageWarpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        chain = new PixelTransformChain(mlContext, outputColumnName, inputColumnName, options.WarpColumnName, options.ParametersColumnName);
        this.options = options;
    }

    /// <summary>The ONNX graph of the last <see cref="Fit"/> (also embedded in the returned model).</summary>
    public byte[]? OnnxModel { get; private set; }

    /// <summary>Checks the input and returns the transform.</summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var t = options.Transformer.Clone();
        var pixels = chain.Resolve(input.Schema, t.Channels, t.ImageHeight, t.ImageWidth);
        if (options.ParametersColumnName is { } parametersColumn)
            CheckParametersColumn(input.Schema, parametersColumn, t.Warp);
        var onnx = SpatialTransformOnnxExporter.ExportWarp(t, options.Parameters, options.WarpColumnName is not null, clampToUnitRange: pixels.IsImage);
        OnnxModel = chain.Rename(onnx, pixels);
        return chain.Fit(input, pixels, OnnxModel, t.OutputHeightInUse, t.OutputWidthInUse);
    }

    /// <summary>The input's columns plus the output column (and the warp column when asked).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => chain.OutputSchema(inputSchema);

    private static void CheckParametersColumn(DataViewSchema schema, string name, WarpFamily family)
    {
        int p = family.ParameterCount();
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The input has no warp-parameters column '{name}' (ParametersColumnName).");
        if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != p)
            throw new ArgumentException($"Warp-parameters column '{name}' has type {column.Type}; expected a float vector of {p} ({family} parameters).");
    }
}
