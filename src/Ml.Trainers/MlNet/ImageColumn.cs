using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Ml.Trainers.MlNet;

/// <summary>
/// The image column of the input and the ML.NET transforms that turn it into the network's input: a float vector of
/// C×H×W pixels in [0, 1], channel-major. Images are resized (<c>ResizeImages</c>, fill) and read as RGB
/// (<c>ExtractPixels</c>); a float pixel vector is used as it is.
/// </summary>
internal sealed class ImageColumn
{
    /// <summary>Name of the pixel column the ONNX model reads (internal; dropped from the output).</summary>
    public const string PixelsColumn = "StnPixels";

    /// <summary>Name of the resized-image column (internal; dropped from the output).</summary>
    public const string ResizedColumn = "StnResizedImage";

    private ImageColumn(string name, bool isImage)
    {
        Name = name;
        IsImage = isImage;
    }

    public string Name { get; }

    public bool IsImage { get; }

    /// <summary>Checks the column named in the options against the schema.</summary>
    public static ImageColumn Resolve(DataViewSchema schema, StnImageClassificationOptions options, string dataName)
    {
        var name = options.ImageColumnName;
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"The {dataName} has no image column '{name}'. Set ImageColumnName to the column made by LoadImages, or to a float pixel vector. Columns: {string.Join(", ", schema.Select(c => c.Name))}.",
                nameof(options));
        if (column.Type is ImageDataViewType)
            return new ImageColumn(name, isImage: true);
        long expected = (long)options.Channels * options.ImageHeight * options.ImageWidth;
        if (column.Type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single)
        {
            if (vector.Size != expected)
                throw new ArgumentException(
                    $"Image column '{name}' is a float vector of {(vector.IsKnownSize ? vector.Size.ToString() : "unknown")} values; expected {expected} = {options.Channels}×{options.ImageHeight}×{options.ImageWidth} (Channels × ImageHeight × ImageWidth) pixels in [0, 1], channel-major.",
                    nameof(options));
            return new ImageColumn(name, isImage: false);
        }
        throw new ArgumentException(
            $"Image column '{name}' has type {column.Type}; expected an image (mlContext.Transforms.LoadImages) or a float vector of {expected} pixels in [0, 1]. Byte pixels: convert them with mlContext.Transforms.Conversion.ConvertType and scale by 1/255 first.",
            nameof(options));
    }

    /// <summary>The ML.NET estimators that produce <see cref="PixelsColumn"/> (none for a pixel vector: it is copied).</summary>
    public IEstimator<ITransformer> Preprocessing(MLContext mlContext, StnImageClassificationOptions options)
    {
        if (!IsImage)
            return mlContext.Transforms.CopyColumns(PixelsColumn, Name);
        return mlContext.Transforms.ResizeImages(ResizedColumn, options.ImageWidth, options.ImageHeight, Name, ImageResizingEstimator.ResizingKind.Fill)
            .Append(mlContext.Transforms.ExtractPixels(PixelsColumn, ResizedColumn, ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0, scaleImage: 1f / 255, outputAsFloatArray: true));
    }

    /// <summary>Internal columns to drop after scoring.</summary>
    public string[] TemporaryColumns => IsImage ? [ResizedColumn, PixelsColumn] : [PixelsColumn];
}
