using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Transforms.Onnx;
using Ml.Trainers.Export;
using ScoringService.Scoring;

namespace ScoringService.Model;

/// <summary>
/// Loads a saved model for serving: any model.zip whose ML.NET chain contains one trained STN classifier (the sample's
/// <c>train</c>, the README's C# pipeline, or any pipeline around <c>StnImageClassification</c>). Every failure is a
/// <see cref="ModelLoadException"/> with a one-line message.
/// </summary>
/// <remarks>
/// A saved pipeline starts from an image PATH (<c>LoadImages</c>) and often maps the training label to a key; a service
/// gets image BYTES and no label. So the chain is cut: the service decodes the upload itself (as <c>LoadImages</c>
/// decodes a file) and feeds the decoded image to the part of the chain that follows the image loading, from the first
/// step that needs nothing but the image (the label mapping is skipped). A model trained on a float pixel vector gets
/// ML.NET's own resize and pixel extraction in front (as an image model makes its pixels).
/// </remarks>
public static class ModelLoader
{
    private const string WarpKey = "mllinearized.output.warp";
    private const string RectifiedKey = "mllinearized.output.rectified";

    /// <summary>Loads <paramref name="path"/> and builds its scorer (engines created and warmed up).</summary>
    /// <exception cref="ModelLoadException">No path, no file, not a model this library trained, or a chain the service cannot feed.</exception>
    public static ServedModel Load(string? path, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(path))
            throw new ModelLoadException("No model given. Start the service with --model <path to model.zip> (a model saved by mlContext.Model.Save around the StnImageClassification trainer, e.g. output/model.zip from the TrafficSigns sample's train command).");
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new ModelLoadException($"--model '{full}' is a folder; give the model file in it (e.g. {System.IO.Path.Combine(full, "model.zip")}).");
        if (!File.Exists(full))
            throw new ModelLoadException($"Model file '{full}' does not exist. Give the path of a saved model.zip (train one with: dotnet run -c Release --project samples/TrafficSigns -- train --images <folder>).");

        // One read: the hash, the graph and ML.NET's load all see the same bytes, even if the file is replaced meanwhile.
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"Model file '{full}' cannot be read: {e.Message}", e);
        }
        string fileSha256 = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

        StnOnnxGraph graph;
        try
        {
            graph = StnOnnxGraph.Read(new MemoryStream(bytes, writable: false));
        }
        catch (InvalidDataException e)
        {
            string why = IsZip(bytes) ? e.Message : $"it is not a zip file ({bytes.Length} bytes), and ML.NET saves models as zips";
            throw new ModelLoadException($"'{full}' is not a model this service can serve: {why}", e);
        }

        var mlContext = new MLContext(seed: 0).RegisterStnComponents();
        if (options.OnnxIntraOpThreads > 0)
            mlContext.SetOnnxSessionOption(new OnnxSessionOptions { CreateSessionOptions = () => SessionOptionsFor(options.OnnxIntraOpThreads) });
        ITransformer model;
        DataViewSchema inputSchema;
        try
        {
            model = mlContext.Model.Load(new MemoryStream(bytes, writable: false), out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelLoadException($"ML.NET could not load '{full}' ({e.GetType().Name}: {OneLine(e.Message)}). Was it saved with a different ML.NET version?", e);
        }

        var description = graph.Description;
        var (transformer, imageColumn, outputSchema) = ScoringChain(mlContext, model, inputSchema, description, full);
        var columns = Columns(outputSchema, description, graph.OnnxModel, imageColumn, full);
        var pipeline = new ScoringPipeline(transformer, ImageRows.Schema(imageColumn), columns);
        int concurrency = options.EffectiveConcurrency;
        try
        {
            IModelScorer scorer = options.Mode == ScoringMode.MicroBatch
                ? new MicroBatchScorer(pipeline, concurrency, options.MaxMicroBatch)
                : new EnginePoolScorer(pipeline, concurrency);
            return new ServedModel(full, fileSha256, description, columns, pipeline, scorer, options.Mode, concurrency);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            pipeline.Dispose();
            throw new ModelLoadException($"'{full}' loaded, but scoring a test image with it failed ({e.GetType().Name}: {OneLine(e.Message)}).", e);
        }
    }

    /// <summary>
    /// The part of the loaded chain a decoded image is fed to, the image column it reads, and its output schema.
    /// </summary>
    private static (ITransformer Chain, string ImageColumn, DataViewSchema Output) ScoringChain(MLContext mlContext, ITransformer model,
        DataViewSchema inputSchema, StnOnnxGraphDescription description, string path)
    {
        var parts = ScoringPipeline.Parts(model).ToList();
        int onnx = parts.FindIndex(t => t is OnnxTransformer);
        if (onnx < 0)
            throw new ModelLoadException($"'{path}': the model's chain holds no ONNX scoring step.");
        int loader = parts.FindLastIndex(onnx, t => t is ImageLoadingTransformer);

        // The image columns there are once the images are loaded (made by LoadImages, or given as input): the decoded
        // upload goes into one of them, and the model's own steps make its pixels from it.
        var loaded = new TransformerChain<ITransformer>([.. parts.Take(loader + 1)]).GetOutputSchema(inputSchema);
        var candidates = loaded.Where(c => !c.IsHidden && c.Type is ImageDataViewType).Select(c => c.Name).ToList();
        List<ITransformer> prefix = [];
        if (candidates.Count == 0)
        {
            if (description.InputIsImage)
                throw new ModelLoadException($"'{path}': the model reads images but its chain makes no image column to feed a decoded image to; save the whole fitted pipeline (mlContext.Model.Save(model, …)).");
            if (description.Channels != 3)
                throw new ModelLoadException($"'{path}': the model reads {description.Channels}-channel pixel vectors ('{description.Input.Name}'); this service makes RGB (3-channel) pixels from the images it receives.");
            // A model trained on a float pixel vector given as input: make the vector as an image model makes its
            // pixels (ResizeImages, Fill; ExtractPixels: R, G, B planes, /255).
            const string image = "ServiceImage", resized = "ServiceImageResized";
            var pixels = mlContext.Transforms.ResizeImages(resized, description.Width, description.Height, image, ImageResizingEstimator.ResizingKind.Fill)
                .Append(mlContext.Transforms.ExtractPixels(description.Input.Name, resized, ImagePixelExtractingEstimator.ColorBits.Rgb,
                    ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0, scaleImage: 1f / 255, outputAsFloatArray: true))
                .Fit(ImageRows.Empty(image));
            candidates = [image];
            prefix = [.. ScoringPipeline.Parts(pixels)];
        }

        // From the first step after the image loading that needs nothing but the image (e.g. skip MapValueToKey("Label")).
        var errors = new List<string>();
        foreach (var imageColumn in candidates)
        {
            var input = ImageRows.Schema(imageColumn);
            for (int start = loader + 1; start <= onnx; start++)
            {
                var chain = new TransformerChain<ITransformer>([.. prefix, .. parts.Skip(start)]);
                try
                {
                    return (chain, imageColumn, chain.GetOutputSchema(input));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
                {
                    errors.Add(OneLine(e.Message));
                }
            }
        }
        throw new ModelLoadException($"'{path}': the model's chain cannot be fed a decoded image in column '{string.Join("' or '", candidates)}' ({errors.LastOrDefault()}).");
    }

    /// <summary>Finds the output columns and checks them against the graph's description.</summary>
    private static ModelColumns Columns(DataViewSchema output, StnOnnxGraphDescription description, byte[] onnxModel, string imageColumn, string path)
    {
        string scoreColumn = description.Outputs[0].Name;
        if (output.GetColumnOrNull(scoreColumn) is not { Type: VectorDataViewType { ItemType: NumberDataViewType } })
            throw new ModelLoadException($"'{path}': the model's output has no score column '{scoreColumn}' (columns: {string.Join(", ", output.Select(c => c.Name))}).");

        // The predicted-label key column: the one whose key values are the graph's classes ("PredictedLabel" by default).
        var keyColumns = output.Where(c => c.Type is KeyDataViewType && KeyValues(c).SequenceEqual(description.ClassLabels)).ToList();
        var predicted = keyColumns.FirstOrDefault(c => c.Name == "PredictedLabel") is { Name: not null } named ? named
            : keyColumns.Count > 0 ? keyColumns[^1]
            : throw new ModelLoadException($"'{path}': the model's output has no predicted-label key column over its {description.ClassLabels.Count} classes (columns: {string.Join(", ", output.Select(c => c.Name))}).");

        // Which optional outputs the graph has: its metadata names them (keys mllinearized.output.*).
        IReadOnlyDictionary<string, string> metadata;
        using (var session = new InferenceSession(onnxModel))
            metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap);
        string? warp = metadata.GetValueOrDefault(WarpKey);
        string? rectified = metadata.GetValueOrDefault(RectifiedKey);
        int? warpSize = warp is null ? null : VectorSize(output, warp, path);
        RectifiedSize? rectifiedSize = null;
        if (rectified is not null)
        {
            int size = VectorSize(output, rectified, path);
            rectifiedSize = RectifiedSize.Of(size, description.Width, description.Height)
                ?? throw new ModelLoadException($"'{path}': the rectified column '{rectified}' holds {size} values, not an RGB image.");
        }
        return new ModelColumns(description.InputIsImage ? "image" : "pixel-vector", imageColumn, scoreColumn, predicted.Name, KeyValues(predicted),
            warp, warpSize, rectified, rectifiedSize);
    }

    private static int VectorSize(DataViewSchema schema, string column, string path) =>
        schema.GetColumnOrNull(column) is { Type: VectorDataViewType { IsKnownSize: true } vector }
            ? vector.Size
            : throw new ModelLoadException($"'{path}': the graph names the output '{column}' but the model's chain gives no such fixed-size vector column.");

    private static List<string> KeyValues(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
            return [];
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToList();
    }

    /// <summary>ONNX Runtime settings for a service that scores many small requests in parallel.</summary>
    private static Microsoft.ML.OnnxRuntime.SessionOptions SessionOptionsFor(int intraOpThreads)
    {
        var session = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = intraOpThreads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return session;
    }

    private static bool IsZip(byte[] bytes) => bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K';

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
