using Ml.Transforms.MlNet;
using Ml.Transforms.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Ml.Transforms.Estimators;

/// <summary>
/// What <see cref="ImageWarpEstimator"/> and <see cref="LearnedAlignmentEstimator"/> share: the columns they read and
/// write, and the chain of ML.NET's own transformers a fitted one is (resize and extract pixels, <c>ApplyOnnxModel</c>,
/// and <c>ConvertToImage</c> for an image input), so it saves and loads through ML.NET's public API and scores without
/// libtorch. The output has the input's kind: an image column gives an image column, a pixel vector a pixel vector
/// (C×Hout×Wout, channel-major).
/// </summary>
internal sealed class PixelTransformChain
{
    private const string PixelsColumn = "SpatialTransformPixels";
    private const string WarpedColumn = "SpatialTransformWarped";

    private readonly MLContext mlContext;
    private readonly string outputColumnName;
    private readonly string inputColumnName;
    private readonly string? warpColumnName;
    private readonly string? parametersColumnName;

    public PixelTransformChain(MLContext mlContext, string outputColumnName, string inputColumnName, string? warpColumnName, string? parametersColumnName)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        CheckDistinct(outputColumnName, inputColumnName, warpColumnName, parametersColumnName);
        this.mlContext = mlContext;
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName;
        this.warpColumnName = warpColumnName;
        this.parametersColumnName = parametersColumnName;
    }

    public MLContext Context => mlContext;

    /// <summary>
    /// The columns the ONNX graph reads and writes must have distinct names (ONNX Runtime otherwise fails deep inside
    /// with "Duplicate definition of name").
    /// </summary>
    private static void CheckDistinct(string outputColumnName, string inputColumnName, string? warpColumnName, string? parametersColumnName)
    {
        if (warpColumnName is not null && string.IsNullOrWhiteSpace(warpColumnName))
            throw new ArgumentException("WarpColumnName must name a column, or be null for no warp column.", nameof(warpColumnName));
        if (warpColumnName == outputColumnName)
            throw new ArgumentException(
                $"WarpColumnName and outputColumnName are both '{outputColumnName}': the warp parameters and the warped images need two columns. Choose another WarpColumnName (e.g. \"{outputColumnName}Warp\").",
                nameof(warpColumnName));
        if (warpColumnName == inputColumnName)
            throw new ArgumentException(
                $"WarpColumnName and inputColumnName are both '{inputColumnName}': the graph cannot read the images from the column it writes the warps to. Choose another WarpColumnName.",
                nameof(warpColumnName));
        if (parametersColumnName is not null && parametersColumnName == inputColumnName)
            throw new ArgumentException(
                $"ParametersColumnName and inputColumnName are both '{inputColumnName}': the warps and the images need two columns.",
                nameof(parametersColumnName));
        if (parametersColumnName is not null && parametersColumnName == warpColumnName)
            throw new ArgumentException(
                $"ParametersColumnName and WarpColumnName are both '{warpColumnName}': the per-row warp is already in that column; set WarpColumnName to null or to another name.",
                nameof(warpColumnName));
    }

    /// <summary>Checks the input column: an image, or a float vector of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public PixelInput Resolve(DataViewSchema schema, int channels, int height, int width) =>
        PixelInput.Resolve(schema, inputColumnName, "inputColumnName", channels, height, width, PixelsColumn, "input data");

    /// <summary>Renames the exporter's tensors to the chain's columns.</summary>
    public byte[] Rename(byte[] onnx, PixelInput pixels) => OnnxTensorRenaming.Rename(onnx, new Dictionary<string, string>
    {
        [SpatialTransformOnnxExporter.InputName] = pixels.PixelsColumn,
        [SpatialTransformOnnxExporter.OutputName] = WarpedColumn,
        [SpatialTransformOnnxExporter.WarpName] = warpColumnName ?? SpatialTransformOnnxExporter.WarpName,
        [SpatialTransformOnnxExporter.ParametersName] = parametersColumnName ?? SpatialTransformOnnxExporter.ParametersName,
    });

    /// <summary>The fitted chain around <paramref name="onnx"/> (renamed by <see cref="Rename"/>).</summary>
    public ITransformer Fit(IDataView input, PixelInput pixels, byte[] onnx, int outputHeight, int outputWidth)
    {
        var outputs = new List<string> { WarpedColumn };
        if (warpColumnName is { } warp) outputs.Add(warp);
        var inputs = new List<string> { pixels.PixelsColumn };
        if (parametersColumnName is { } parameters) inputs.Add(parameters);
        IEstimator<ITransformer> chain = pixels.Preprocessing(mlContext)
            .Append(mlContext.Transforms.ApplyOnnxModel(outputs.ToArray(), inputs.ToArray(), new MemoryStream(onnx)));
        // The graph writes an internal column (so a pixel vector may be warped in place: ONNX cannot read and write one
        // name); it becomes the output column as an image or as the vector itself.
        chain = pixels.IsImage
            ? chain.Append(mlContext.Transforms.ConvertToImage(outputHeight, outputWidth, outputColumnName, WarpedColumn,
                ImagePixelExtractingEstimator.ColorBits.Rgb, ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavedColors: false,
                scaleImage: 255f, offsetImage: 0f))
            : chain.Append(mlContext.Transforms.CopyColumns(outputColumnName, WarpedColumn));
        var temporary = pixels.TemporaryColumns.Append(WarpedColumn).ToList();
        return chain.Append(mlContext.Transforms.DropColumns(temporary.Where(c => c != inputColumnName && c != outputColumnName).ToArray()))
            .Fit(input);
    }

    /// <summary>The input's columns plus the output column (and the warp column when asked).</summary>
    public SchemaShape OutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = inputSchema.FirstOrDefault(c => c.Name == inputColumnName);
        if (input.Name is null)
            throw new ArgumentException($"The input has no column '{inputColumnName}'.", nameof(inputSchema));
        var columns = inputSchema.Where(c => c.Name != outputColumnName && c.Name != warpColumnName).ToList();
        columns.Add(input.ItemType is ImageDataViewType
            ? mlContext.Transforms.CopyColumns(outputColumnName, inputColumnName).GetOutputSchema(inputSchema).First(c => c.Name == outputColumnName)
            : OutputShapes.FloatVector(mlContext, outputColumnName));
        if (warpColumnName is { } warp)
            columns.Add(OutputShapes.FloatVector(mlContext, warp));
        return new SchemaShape(columns);
    }
}
