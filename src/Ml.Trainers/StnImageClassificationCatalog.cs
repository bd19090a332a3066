using Ml.Trainers;
using Ml.Trainers.MlNet;
using Ml.Transforms.MlNet;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;

namespace Microsoft.ML;

/// <summary>Catalog entries of the spatial-transformer image classifier.</summary>
public static class StnImageClassificationCatalog
{
    /// <summary>
    /// A spatial-transformer image classifier (STN, IC-STN or the baseline CNN; linearized multi-sampling by default)
    /// with the common settings; the rest are the defaults of <see cref="StnImageClassificationOptions"/>.
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Name of the label column. Column should be a key type (<c>MapValueToKey</c>).</param>
    /// <param name="scoreColumnName">Name of the score column to write: a float vector, one probability per class in the label's key order.</param>
    /// <param name="predictedLabelColumnName">Name of the predicted-label column to write. It will be a key type with the label's key values.</param>
    /// <param name="imageColumnName">Name of the image column: the text path of an image file (the trainer decodes the files itself), an image (<c>LoadImages</c>), or a known-size float vector of 3×32×32 pixels in [0, 1], channel-major.</param>
    /// <param name="batchSize">Number of images per mini-batch.</param>
    /// <param name="epochs">Number of passes over the training data.</param>
    /// <param name="validationSet">Held-out data with the same columns, for per-epoch validation accuracy and keep-best; null = none.</param>
    /// <param name="architecture">STN, IC-STN (default) or None (the baseline CNN).</param>
    /// <param name="sampler">Sampler used while training (scoring samples bilinearly for Linearized).</param>
    /// <param name="downsampling">Downsampling factor of the warped image the classifier sees: 1, 2, 4 or 8.</param>
    public static StnImageClassificationTrainer StnImageClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel",
        string imageColumnName = "Image",
        int batchSize = 100,
        int epochs = 20,
        IDataView? validationSet = null,
        SpatialArchitecture architecture = SpatialArchitecture.InverseCompositionalStn,
        SamplingMode sampler = SamplingMode.Linearized,
        int downsampling = 2)
        => new(CatalogContext.Of(catalog), new StnImageClassificationOptions
        {
            LabelColumnName = labelColumnName,
            ScoreColumnName = scoreColumnName,
            PredictedLabelColumnName = predictedLabelColumnName,
            ImageColumnName = imageColumnName,
            ValidationSet = validationSet,
            Architecture = architecture,
            Transformer = { Sampler = sampler, Downsampling = downsampling },
            Training = { BatchSize = batchSize, Epochs = epochs },
        });

    /// <summary>A spatial-transformer image classifier with every setting in <paramref name="options"/>.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">Columns, network, training and every other setting.</param>
    public static StnImageClassificationTrainer StnImageClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, StnImageClassificationOptions options)
        => new(CatalogContext.Of(catalog), options);

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
