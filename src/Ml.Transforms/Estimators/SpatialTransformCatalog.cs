using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.MlNet;

namespace Microsoft.ML;

/// <summary>
/// Catalog entries of the spatial transforms: <c>WarpImages</c> (a given warp) and <c>AlignImages</c> (a learned
/// alignment). Each has a simple overload with the common settings and one taking the full options.
/// </summary>
public static class SpatialTransformCatalog
{
    /// <summary>
    /// Warps images (or pixel vectors) with a given warp: <paramref name="parameters"/> for every row, or the warp of
    /// each row from <paramref name="parametersColumnName"/>. Nothing is learned. The other settings are the defaults of
    /// <see cref="ImageWarpOptions"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Name of the output column. It has the input's kind: an image of the output size for an image input, a float vector of C×Hout×Wout for a pixel vector.</param>
    /// <param name="inputColumnName">Name of the input column. Column should be an image (<c>LoadImages</c>) or a known-size float vector of 3×<paramref name="imageHeight"/>×<paramref name="imageWidth"/> pixels in [0, 1], channel-major. Null = <paramref name="outputColumnName"/>.</param>
    /// <param name="warp">Warp family of the parameters (p = 0 is the identity).</param>
    /// <param name="parameters">The same warp for every row: P values of <paramref name="warp"/>'s family, normalized [-1, 1] frame. Set this or <paramref name="parametersColumnName"/>.</param>
    /// <param name="parametersColumnName">A warp per row: name of a column that should be a float vector of P parameters.</param>
    /// <param name="imageWidth">Width images are resized to (or a pixel vector has); also the output width.</param>
    /// <param name="imageHeight">Height images are resized to (or a pixel vector has); also the output height.</param>
    public static ImageWarpEstimator WarpImages(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        WarpFamily warp = WarpFamily.Homography, float[]? parameters = null, string? parametersColumnName = null, int imageWidth = 64, int imageHeight = 64)
        => new(CatalogContext.Of(catalog), outputColumnName, inputColumnName ?? outputColumnName,
            new ImageWarpOptions
            {
                Transformer = { Warp = warp, ImageWidth = imageWidth, ImageHeight = imageHeight },
                Parameters = parameters,
                ParametersColumnName = parametersColumnName,
            });

    /// <summary>Warps images (or pixel vectors) with a given warp, with every setting in <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Name of the output column. It has the input's kind: an image of the output size for an image input, a float vector of C×Hout×Wout for a pixel vector.</param>
    /// <param name="inputColumnName">Name of the input column. Column should be an image (<c>LoadImages</c>) or a known-size float vector of Transformer.Channels×ImageHeight×ImageWidth pixels in [0, 1], channel-major. Null = <paramref name="outputColumnName"/>.</param>
    /// <param name="options">The warp and every other setting.</param>
    public static ImageWarpEstimator WarpImages(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName, ImageWarpOptions options)
        => new(CatalogContext.Of(catalog), outputColumnName, inputColumnName ?? outputColumnName, options);

    /// <summary>
    /// Learns to align images (or pixel vectors) to a reference image, or — with no <paramref name="referenceImagePath"/>
    /// — to the mean of the aligned images (congealing): <c>Fit</c> trains an IC-STN alignment network, <c>Transform</c>
    /// runs it. The other settings are the defaults of <see cref="LearnedAlignmentOptions"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Name of the output column. It has the input's kind: an aligned image for an image input, a float vector of C×H×W for a pixel vector.</param>
    /// <param name="inputColumnName">Name of the input column. Column should be an image (<c>LoadImages</c>) or a known-size float vector of 3×<paramref name="imageHeight"/>×<paramref name="imageWidth"/> pixels in [0, 1], channel-major. Null = <paramref name="outputColumnName"/>.</param>
    /// <param name="referenceImagePath">The image file (PNG/JPEG) to align to; null = align to the mean of the aligned images.</param>
    /// <param name="warp">Warp family the network predicts.</param>
    /// <param name="imageWidth">Width images are resized to (or a pixel vector has); also the output width.</param>
    /// <param name="imageHeight">Height images are resized to (or a pixel vector has); also the output height.</param>
    /// <param name="epochs">Passes over the training images.</param>
    /// <param name="warpColumnName">Also output each row's warp in this column, a float vector of P parameters; null = no such column.</param>
    public static LearnedAlignmentEstimator AlignImages(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        string? referenceImagePath = null, WarpFamily warp = WarpFamily.Homography, int imageWidth = 64, int imageHeight = 64, int epochs = 10,
        string? warpColumnName = null)
        => new(CatalogContext.Of(catalog), outputColumnName, inputColumnName ?? outputColumnName, new LearnedAlignmentOptions
        {
            Target = referenceImagePath is null ? AlignmentTarget.Mean : AlignmentTarget.Reference,
            ReferenceImagePath = referenceImagePath,
            Transformer = { Warp = warp, ImageWidth = imageWidth, ImageHeight = imageHeight },
            Training = { Epochs = epochs },
            WarpColumnName = warpColumnName,
        });

    /// <summary>Learns to align images (or pixel vectors), with every setting in <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Name of the output column. It has the input's kind: an aligned image for an image input, a float vector of C×Hout×Wout for a pixel vector.</param>
    /// <param name="inputColumnName">Name of the input column. Column should be an image (<c>LoadImages</c>) or a known-size float vector of Transformer.Channels×ImageHeight×ImageWidth pixels in [0, 1], channel-major. Null = <paramref name="outputColumnName"/>.</param>
    /// <param name="options">The target, the network, the training and every other setting.</param>
    public static LearnedAlignmentEstimator AlignImages(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName, LearnedAlignmentOptions options)
        => new(CatalogContext.Of(catalog), outputColumnName, inputColumnName ?? outputColumnName, options);

    /// <summary>
    /// Lets this library's trainers and transforms report progress through <paramref name="mlContext"/>'s <c>Log</c>
    /// (ML.NET keeps a catalog's context internal, so it cannot be found otherwise). Call once per MLContext, e.g.
    /// <c>var mlContext = new MLContext(seed: 0).RegisterSpatialTransformComponents();</c>.
    /// </summary>
    public static MLContext RegisterSpatialTransformComponents(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(ImageWarpEstimator).Assembly);
        CatalogContext.Register(mlContext);
        return mlContext;
    }
}
