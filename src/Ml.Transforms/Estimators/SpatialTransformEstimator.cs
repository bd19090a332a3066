using Ml.Transforms.Geometry;
using Ml.Transforms.MlNet;
using Ml.Transforms.Modules;
using Ml.Transforms.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Warps images with a given warp, or learns to align them (to a reference image, or to their mean). <see cref="Fit"/>
/// returns a chain of ML.NET's own transformers around an ONNX inference graph (resize, extract pixels,
/// <c>ApplyOnnxModel</c>, and <c>ConvertToImage</c> for an image input), so the fitted transform saves and loads through
/// ML.NET's public API and scores without libtorch. The output has the input's kind: an image column gives an image
/// column, a pixel vector gives a pixel vector (C×Hout×Wout, channel-major, [0, 1] for images).
/// </summary>
public sealed class SpatialTransformEstimator : IEstimator<ITransformer>
{
    private const string PixelsColumn = "SpatialTransformPixels";
    private const string WarpedColumn = "SpatialTransformWarped";

    private readonly MLContext mlContext;
    private readonly string outputColumnName;
    private readonly string inputColumnName;
    private readonly SpatialTransformOptions options;

    internal SpatialTransformEstimator(MLContext mlContext, string outputColumnName, string inputColumnName, SpatialTransformOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.mlContext = mlContext;
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName;
        this.options = options;
    }

    /// <summary>The trained alignment network of the last <see cref="Fit"/> in a learned mode (null in Warp mode).</summary>
    public SpatialTransformerBase? TrainedNetwork { get; private set; }

    /// <summary>The ONNX graph of the last <see cref="Fit"/> (also embedded in the returned model).</summary>
    public byte[]? OnnxModel { get; private set; }

    /// <summary>Trains (learned modes) and returns the transform.</summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pixels = PixelInput.Resolve(input.Schema, inputColumnName, "inputColumnName", options.Channels, options.ImageHeight, options.ImageWidth,
            PixelsColumn, "input data");
        var t = options.ToModuleOptions();
        byte[] onnx;
        if (options.Mode == SpatialTransformMode.Warp)
        {
            if (options.ParametersColumnName is { } parametersColumn)
                CheckParametersColumn(input.Schema, parametersColumn, t.Warp);
            onnx = SpatialTransformOnnxExporter.ExportWarp(t, options.Parameters, options.WarpColumnName is not null, clampToUnitRange: pixels.IsImage);
        }
        else
        {
            onnx = SpatialTransformOnnxExporter.ExportLearned(Train(input, pixels, t), options.WarpColumnName is not null, clampToUnitRange: pixels.IsImage);
        }
        OnnxModel = OnnxTensorRenaming.Rename(onnx, new Dictionary<string, string>
        {
            [SpatialTransformOnnxExporter.InputName] = PixelsColumn,
            [SpatialTransformOnnxExporter.OutputName] = pixels.IsImage ? WarpedColumn : outputColumnName,
            [SpatialTransformOnnxExporter.WarpName] = options.WarpColumnName ?? SpatialTransformOnnxExporter.WarpName,
            [SpatialTransformOnnxExporter.ParametersName] = options.ParametersColumnName ?? SpatialTransformOnnxExporter.ParametersName,
        });
        return Chain(pixels, t).Fit(input);
    }

    private IEstimator<ITransformer> Chain(PixelInput pixels, SpatialTransformerOptions t)
    {
        var outputs = new List<string> { pixels.IsImage ? WarpedColumn : outputColumnName };
        if (options.WarpColumnName is { } warp) outputs.Add(warp);
        var inputs = new List<string> { PixelsColumn };
        if (options.ParametersColumnName is { } parameters) inputs.Add(parameters);
        IEstimator<ITransformer> chain = pixels.Preprocessing(mlContext)
            .Append(mlContext.Transforms.ApplyOnnxModel(outputs.ToArray(), inputs.ToArray(), new MemoryStream(OnnxModel!)));
        var temporary = pixels.TemporaryColumns.ToList();
        if (pixels.IsImage)
        {
            chain = chain.Append(mlContext.Transforms.ConvertToImage(t.OutputHeightInUse, t.OutputWidthInUse, outputColumnName, WarpedColumn,
                ImagePixelExtractingEstimator.ColorBits.Rgb, ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavedColors: false,
                scaleImage: 255f, offsetImage: 0f));
            temporary.Add(WarpedColumn);
        }
        return chain.Append(mlContext.Transforms.DropColumns(temporary.Where(c => c != inputColumnName && c != outputColumnName).ToArray()));
    }

    private SpatialTransformerBase Train(IDataView input, PixelInput pixels, SpatialTransformerOptions t)
    {
        var channel = ((IHostEnvironment)mlContext).Register(nameof(SpatialTransformEstimator)).Start("Training");
        using (channel)
        {
            using var scope = NewDisposeScope();
            var (images, _) = pixels.Read(mlContext, input, null, "input data", options.CancellationToken);
            Tensor? reference = options.Mode == SpatialTransformMode.AlignToReference
                ? ReferenceImage.Load(options.ReferenceImagePath!, t.Channels, t.OutputHeightInUse, t.OutputWidthInUse)
                : null;
            manual_seed(options.Seed);
            SpatialTransformerBase module = options.Architecture == SpatialArchitecture.Stn
                ? new SpatialTransformer(t)
                : new InverseCompositionalSpatialTransformer(t);
            channel.Info(MessageSensitivity.None, $"Training a {options.Architecture} alignment network ({options.Mode}, {options.Warp}, {options.Sampler}) on {images.shape[0]} images.");
            AlignmentNetworkTraining.Train(module, images, reference, options, message => channel.Info(MessageSensitivity.None, message));
            module.to(CPU);
            TrainedNetwork?.Dispose();
            TrainedNetwork = module;
            return module;
        }
    }

    private static void CheckParametersColumn(DataViewSchema schema, string name, WarpFamily family)
    {
        int p = family.ParameterCount();
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The input has no warp-parameters column '{name}' (ParametersColumnName).");
        if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != p)
            throw new ArgumentException($"Warp-parameters column '{name}' has type {column.Type}; expected a float vector of {p} ({family} parameters).");
    }

    /// <summary>The input's columns plus the output column (and the warp column when asked).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = inputSchema.FirstOrDefault(c => c.Name == inputColumnName);
        if (input.Name is null)
            throw new ArgumentException($"The input has no column '{inputColumnName}'.", nameof(inputSchema));
        var columns = inputSchema.Where(c => c.Name != outputColumnName && c.Name != options.WarpColumnName).ToList();
        columns.Add(input.ItemType is ImageDataViewType
            ? mlContext.Transforms.CopyColumns(outputColumnName, inputColumnName).GetOutputSchema(inputSchema).First(c => c.Name == outputColumnName)
            : OutputShapes.FloatVector(mlContext, outputColumnName));
        if (options.WarpColumnName is { } warp)
            columns.Add(OutputShapes.FloatVector(mlContext, warp));
        return new SchemaShape(columns);
    }
}
