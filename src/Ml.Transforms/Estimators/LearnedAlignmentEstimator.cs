using Ml.Transforms.Checks;
using Ml.Transforms.Modules;
using Ml.Transforms.Onnx;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Estimators;

/// <summary>
/// Learns to align images (or pixel vectors) to a reference image, or to their mean (<see cref="LearnedAlignmentOptions"/>):
/// <see cref="Fit"/> trains an STN or IC-STN alignment network with a masked photometric loss (pixels the warp brings
/// in from outside the image do not count) and random self-supervision warps, and returns a chain of ML.NET's own
/// transformers around the network's ONNX inference graph (resize, extract pixels, <c>ApplyOnnxModel</c>, and
/// <c>ConvertToImage</c> for an image input), so the transform saves and loads through ML.NET's public API and scores
/// without libtorch; <c>Transform</c> is one forward pass. The output has the input's kind: an image column gives an
/// image column, a pixel vector a pixel vector (C×Hout×Wout, channel-major). A pixel-vector row with a NaN or infinite
/// pixel, or whose warp comes out non-finite, comes out all NaN (its warp too; black for an image output).
/// </summary>
public sealed class LearnedAlignmentEstimator : IEstimator<ITransformer>, IDisposable
{
    private readonly PixelTransformChain chain;
    private readonly LearnedAlignmentOptions options;

    /// <summary>Use <c>mlContext.Transforms.AlignImages(...)</c>.</summary>
    internal LearnedAlignmentEstimator(MLContext mlContext, string outputColumnName, string inputColumnName, LearnedAlignmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        chain = new PixelTransformChain(mlContext, outputColumnName, inputColumnName, options.WarpColumnName, parametersColumnName: null);
        this.options = options;
    }

    /// <summary>The trained alignment network of the last <see cref="Fit"/>; null before.</summary>
    public SpatialTransformerBase? TrainedNetwork { get; private set; }

    /// <summary>
    /// Frees the native memory of <see cref="TrainedNetwork"/> (a TorchSharp module) and forgets it. The models
    /// <see cref="Fit"/> returned keep working: they run their own ONNX graph.
    /// </summary>
    public void Dispose()
    {
        TrainedNetwork?.Dispose();
        TrainedNetwork = null;
    }

    /// <summary>How well the network of the last <see cref="Fit"/> aligns its training images; null before.</summary>
    public LearnedAlignmentQuality? Quality { get; private set; }

    /// <summary>The ONNX graph of the last <see cref="Fit"/> (also embedded in the returned model).</summary>
    public byte[]? OnnxModel { get; private set; }

    /// <summary>
    /// Trains the alignment network and returns the transform. Throws <see cref="InvalidOperationException"/> (and keeps
    /// no network) when training diverges, when the network moves the images out of view (less than
    /// <see cref="LearnedAlignmentOptions.MinimumVisibleFraction"/> of the output shows them) or when it fits them worse
    /// than no warp at all (see <see cref="Quality"/>).
    /// </summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var t = options.Transformer.Clone();
        var pixels = chain.Resolve(input.Schema, t.Channels, t.ImageHeight, t.ImageWidth);
        var onnx = SpatialTransformOnnxExporter.ExportLearned(Train(input, pixels, t), options.WarpColumnName is not null, clampToUnitRange: pixels.IsImage);
        OnnxModel = chain.Rename(onnx, pixels);
        return chain.Fit(input, pixels, OnnxModel, t.OutputHeightInUse, t.OutputWidthInUse);
    }

    /// <summary>The input's columns plus the output column (and the warp column when asked).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => chain.OutputSchema(inputSchema);

    private SpatialTransformerBase Train(IDataView input, MlNet.PixelInput pixels, SpatialTransformerOptions t)
    {
        var mlContext = chain.Context;
        var channel = ((IHostEnvironment)mlContext).Register(nameof(LearnedAlignmentEstimator)).Start("Training");
        using (channel)
        {
            using var scope = NewDisposeScope();
            Tensor? reference = options.Target switch
            {
                AlignmentTarget.Reference => ReferenceImage.Load(options.ReferenceImagePath!, t.Channels, t.OutputHeightInUse, t.OutputWidthInUse),
                AlignmentTarget.Mean => null,
                _ => throw UnknownEnum.Value(options.Target, nameof(LearnedAlignmentOptions.Target)),
            };
            var (images, _) = pixels.Read(mlContext, input, null, "input data", options.CancellationToken);
            manual_seed(options.Training.Seed);
            SpatialTransformerBase module = options.Architecture switch
            {
                SpatialArchitecture.Stn => new SpatialTransformer(t),
                SpatialArchitecture.InverseCompositionalStn => new InverseCompositionalSpatialTransformer(t),
                _ => throw UnknownEnum.Value(options.Architecture, nameof(LearnedAlignmentOptions.Architecture)),
            };
            void Log(string message)
            {
                channel.Info(MessageSensitivity.None, message);
                options.Training.Log?.Invoke(message);
            }
            Log($"Training a {options.Architecture} alignment network (to the {options.Target.ToString().ToLowerInvariant()}, {t.Warp}, {t.Sampler}) on {images.shape[0]} images.");
            LearnedAlignmentQuality quality;
            try
            {
                quality = AlignmentNetworkTraining.Train(module, images, reference, options, Log);
            }
            catch
            {
                module.Dispose();
                throw;
            }
            module.to(CPU);
            TrainedNetwork?.Dispose();
            TrainedNetwork = module;
            Quality = quality;
            return module;
        }
    }
}
