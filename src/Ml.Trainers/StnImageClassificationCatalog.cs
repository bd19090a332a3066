using Ml.Trainers;
using Ml.Trainers.MlNet;
using Ml.Transforms.MlNet;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Microsoft.ML;

/// <summary>Catalog entries of the spatial-transformer image classifier.</summary>
public static class StnImageClassificationCatalog
{
    /// <summary>A spatial-transformer image classifier with all settings in <paramref name="options"/>.</summary>
    public static StnImageClassificationTrainer StnImageClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, StnImageClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new StnImageClassificationTrainer(CatalogContext.Of(catalog), options);
    }

    /// <summary>A spatial-transformer image classifier with the common settings; the rest are the defaults of <see cref="StnImageClassificationOptions"/>.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="imageColumnName">Image column (LoadImages) or float pixel vector.</param>
    /// <param name="architecture">STN, IC-STN (default) or None (baseline CNN).</param>
    /// <param name="sampler">Sampler used while training; default Linearized.</param>
    /// <param name="downsampling">1, 2, 4 or 8.</param>
    /// <param name="epochs">Passes over the data.</param>
    public static StnImageClassificationTrainer StnImageClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string imageColumnName = "Image",
        SpatialArchitecture architecture = SpatialArchitecture.InverseCompositionalStn,
        SamplingMode sampler = SamplingMode.Linearized,
        int downsampling = 1,
        int epochs = 30) =>
        catalog.StnImageClassification(new StnImageClassificationOptions
        {
            LabelColumnName = labelColumnName,
            ImageColumnName = imageColumnName,
            Architecture = architecture,
            Sampler = sampler,
            Downsampling = downsampling,
            Epochs = epochs,
        });

    /// <summary>
    /// Registers this library with <paramref name="mlContext"/>: <c>mlContext.Model.Load</c> can then read a saved STN
    /// model (it contains a CustomMapping registered by name), and the trainer reports its progress through
    /// <c>mlContext.Log</c> (ML.NET keeps a catalog's context internal, so it cannot be found otherwise). Call once per
    /// MLContext, e.g. <c>var mlContext = new MLContext(seed: 0).RegisterStnComponents();</c>. Scoring needs this managed
    /// assembly and ONNX Runtime, not libtorch.
    /// </summary>
    public static MLContext RegisterStnComponents(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.RegisterSpatialTransformComponents();
        mlContext.ComponentCatalog.RegisterAssembly(typeof(FirstSlotToScalarMapping).Assembly);
        return mlContext;
    }
}
