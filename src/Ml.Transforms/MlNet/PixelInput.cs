using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Ml.Transforms.MlNet;

/// <summary>
/// An image column of the input and the ML.NET transforms that turn it into a network's input: a float vector of
/// C×H×W pixels in [0, 1], channel-major. Images are resized (<c>ResizeImages</c>, fill) and read as RGB
/// (<c>ExtractPixels</c>, interleaving off, scale 1/255) into an internal column; a text column of image paths (where a
/// caller allows one) is first loaded with <c>LoadImages</c>; a float pixel vector of that size is the network's input as
/// it is, under its own name, so that ML.NET's and ONNX Runtime's messages about it (a vector of another size at scoring
/// time) name the user's column.
/// </summary>
internal sealed class PixelInput
{
    private PixelInput(string name, bool isImage, bool isPath, string pixelsColumn, int channels, int height, int width)
    {
        Name = name;
        IsImage = isImage;
        IsPath = isPath;
        PixelsColumn = pixelsColumn;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The user's column.</summary>
    public string Name { get; }

    /// <summary>True for an ML.NET image column or a column of image paths (pixels read from an image as RGB), false for a float pixel vector.</summary>
    public bool IsImage { get; }

    /// <summary>True for a text column of image file paths (absolute, or relative to the current folder, as <c>LoadImages</c> with no image folder reads them).</summary>
    public bool IsPath { get; }

    /// <summary>The column holding the network input: the internal pixel column for images, the user's column for pixel vectors.</summary>
    public string PixelsColumn { get; }

    /// <summary>Channels of the network input (3 for images).</summary>
    public int Channels { get; }

    /// <summary>Network input height.</summary>
    public int Height { get; }

    /// <summary>Network input width.</summary>
    public int Width { get; }

    /// <summary>Values per row of <see cref="PixelsColumn"/>.</summary>
    public int Size => Channels * Height * Width;

    private string ResizedColumn => PixelsColumn + "Resized";

    private string LoadedColumn => PixelsColumn + "Loaded";

    /// <summary>The internal column of <see cref="BytePreprocessing"/>: the image's pixels as bytes.</summary>
    public string BytePixelsColumn => PixelsColumn + "Bytes";

    /// <summary>Checks <paramref name="columnName"/> in <paramref name="schema"/>: an image, or a float vector of channels×height×width.</summary>
    /// <param name="schema">The input schema.</param>
    /// <param name="columnName">The image column named in the options.</param>
    /// <param name="optionName">The option that names it (for messages).</param>
    /// <param name="channels">Channels of a pixel vector (images are read as RGB: 3).</param>
    /// <param name="height">Network input height.</param>
    /// <param name="width">Network input width.</param>
    /// <param name="pixelsColumn">Name for the internal pixel column of an image input.</param>
    /// <param name="dataName">"training data", "validation set"... for messages.</param>
    /// <param name="acceptPaths">Whether a text column of image file paths is an input (the classifier's trainer reads them itself).</param>
    public static PixelInput Resolve(DataViewSchema schema, string columnName, string optionName, int channels, int height, int width,
        string pixelsColumn, string dataName, bool acceptPaths = false)
    {
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(
                $"The {dataName} has no image column '{columnName}'. Set {optionName} to the column made by LoadImages, or to a float pixel vector. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is ImageDataViewType)
        {
            if (channels != 3)
                throw new ArgumentException($"Image column '{columnName}' of the {dataName} holds images, which are read as RGB (3 channels); Channels is {channels}. Set Channels to 3.");
            return new PixelInput(columnName, isImage: true, isPath: false, pixelsColumn, 3, height, width);
        }
        if (acceptPaths && column.Type is TextDataViewType)
        {
            if (channels != 3)
                throw new ArgumentException($"Image column '{columnName}' of the {dataName} holds image paths; images are read as RGB (3 channels); Channels is {channels}. Set Channels to 3.");
            return new PixelInput(columnName, isImage: true, isPath: true, pixelsColumn, 3, height, width);
        }
        long expected = (long)channels * height * width;
        if (column.Type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single)
        {
            if (vector.Size != expected)
                throw new ArgumentException(
                    $"Image column '{columnName}' of the {dataName} is a float vector of {(vector.IsKnownSize ? vector.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown size")}; expected {expected} = {channels}×{height}×{width} (Channels × ImageHeight × ImageWidth) pixels in [0, 1], channel-major.");
            return new PixelInput(columnName, isImage: false, isPath: false, columnName, channels, height, width);
        }
        throw new ArgumentException(
            $"Image column '{columnName}' of the {dataName} has type {column.Type}; expected {(acceptPaths ? "the text path of an image file, " : "")}an image (mlContext.Transforms.LoadImages) or a float vector of {expected} pixels in [0, 1]. Byte pixels: convert them with mlContext.Transforms.Conversion.ConvertType and scale by 1/255 first.");
    }

    /// <summary>
    /// The ML.NET estimators that produce <see cref="PixelsColumn"/> (none for a pixel vector): for paths
    /// <c>LoadImages</c> (no image folder), then <c>ResizeImages</c> (Fill) and <c>ExtractPixels</c> (RGB planes, scale 1/255).
    /// </summary>
    public IEstimator<ITransformer> Preprocessing(MLContext mlContext) => ImageChain(mlContext, PixelsColumn, asFloat: true);

    /// <summary>
    /// For an ML.NET image column: <c>ResizeImages</c> and <c>ExtractPixels</c> into <see cref="BytePixelsColumn"/> as
    /// bytes, which <see cref="Imaging.ImagePixels.ToFloat"/> turns into <see cref="Preprocessing"/>'s floats exactly.
    /// </summary>
    public IEstimator<ITransformer> BytePreprocessing(MLContext mlContext) => ImageChain(mlContext, BytePixelsColumn, asFloat: false);

    private IEstimator<ITransformer> ImageChain(MLContext mlContext, string output, bool asFloat)
    {
        if (!IsImage)
            return new EstimatorChain<ITransformer>();
        var load = IsPath
            ? mlContext.Transforms.LoadImages(LoadedColumn, imageFolder: null, Name)
            : (IEstimator<ITransformer>)new EstimatorChain<ITransformer>();
        return load
            .Append(mlContext.Transforms.ResizeImages(ResizedColumn, Width, Height, IsPath ? LoadedColumn : Name, ImageResizingEstimator.ResizingKind.Fill))
            .Append(mlContext.Transforms.ExtractPixels(output, ResizedColumn, ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0, scaleImage: Imaging.ImagePixels.Scale, outputAsFloatArray: asFloat));
    }

    /// <summary>
    /// Runs <see cref="Preprocessing"/> over <paramref name="data"/> and reads the pixels (and the key column, when given)
    /// into tensors with <see cref="PixelRows.Read"/>.
    /// </summary>
    public (TorchSharp.torch.Tensor Images, TorchSharp.torch.Tensor? Keys) Read(MLContext mlContext, IDataView data, string? keyColumn,
        string dataName, CancellationToken cancellationToken) =>
        PixelRows.Read(Preprocessing(mlContext).Fit(data).Transform(data), this, keyColumn, dataName, cancellationToken);

    /// <summary>Internal columns to drop after scoring.</summary>
    public string[] TemporaryColumns => IsPath ? [LoadedColumn, ResizedColumn, PixelsColumn] : IsImage ? [ResizedColumn, PixelsColumn] : [];
}
