using System.Runtime.CompilerServices;
using Microsoft.ML;

namespace Ml.Trainers.MlNet;

/// <summary>
/// ML.NET keeps a catalog's <see cref="MLContext"/> internal, so a third-party catalog extension cannot reach the user's
/// context (for <c>mlContext.Log</c>). <see cref="StnImageClassificationCatalog.RegisterStnComponents"/> records the
/// context against its catalog here; an unregistered catalog gets a private context (progress then reaches only the
/// <see cref="StnImageClassificationOptions.Progress"/> callback).
/// </summary>
internal static class CatalogContext
{
    private static readonly ConditionalWeakTable<MulticlassClassificationCatalog.MulticlassClassificationTrainers, MLContext> Contexts = new();

    public static void Register(MLContext mlContext) =>
        Contexts.AddOrUpdate(mlContext.MulticlassClassification.Trainers, mlContext);

    public static MLContext Of(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog) =>
        Contexts.TryGetValue(catalog, out var context) ? context : new MLContext();
}
