using Ml.Transforms.Estimators;
using Ml.Transforms.MlNet;

namespace Microsoft.ML;

/// <summary>Catalog entries of the spatial transform.</summary>
public static class SpatialTransformCatalog
{
    /// <summary>
    /// Warps images (or pixel vectors) with a given warp, or learns to align them to a reference image or to their mean
    /// (see <see cref="SpatialTransformOptions"/>). The output column has the input's kind at the output size.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write.</param>
    /// <param name="inputColumnName">Image column (LoadImages) or float pixel vector; null = <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Settings; null = defaults (which need Parameters or ParametersColumnName in Warp mode).</param>
    public static SpatialTransformEstimator SpatialTransform(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        SpatialTransformOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpatialTransformEstimator(CatalogContext.Of(catalog), outputColumnName, inputColumnName ?? outputColumnName, options ?? new SpatialTransformOptions());
    }

    /// <summary>
    /// Lets this library's trainers and transforms report progress through <paramref name="mlContext"/>'s <c>Log</c>
    /// (ML.NET keeps a catalog's context internal, so it cannot be found otherwise). Call once per MLContext, e.g.
    /// <c>var mlContext = new MLContext(seed: 0).RegisterSpatialTransformComponents();</c>.
    /// </summary>
    public static MLContext RegisterSpatialTransformComponents(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(SpatialTransformEstimator).Assembly);
        CatalogContext.Register(mlContext);
        return mlContext;
    }
}
