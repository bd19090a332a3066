using System.Runtime.CompilerServices;
using Microsoft.ML;

namespace Ml.Transforms.MlNet;

/// <summary>
/// ML.NET keeps a catalog's <see cref="MLContext"/> internal, so a third-party catalog extension cannot reach the user's
/// context (for <c>mlContext.Log</c>). <see cref="SpatialTransformCatalog.RegisterSpatialTransformComponents"/> records
/// the context against its catalogs here; an unregistered catalog gets a private context (progress then reaches only
/// the options' callbacks).
/// </summary>
internal static class CatalogContext
{
    private static readonly ConditionalWeakTable<object, MLContext> Contexts = new();

    public static void Register(MLContext mlContext)
    {
        Contexts.AddOrUpdate(mlContext.MulticlassClassification.Trainers, mlContext);
        Contexts.AddOrUpdate(mlContext.Transforms, mlContext);
        Contexts.AddOrUpdate(mlContext.Data, mlContext);
    }

    public static MLContext Of(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Contexts.TryGetValue(catalog, out var context) ? context : new MLContext();
    }
}
