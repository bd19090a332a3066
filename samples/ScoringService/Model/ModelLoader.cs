using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using Ml.Trainers;
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
        if (!IsZip(bytes))
            throw new ModelLoadException($"'{full}' is not a model this service can serve: it is not a zip file ({bytes.Length} bytes), and ML.NET saves models as zips");
        try
        {
            // Every entry's CRC-32 and length, and the SHA-256 the trained graph recorded of itself: ML.NET's load
            // checks neither, and would serve a damaged model with other scores.
            StnModelFile.Verify(new MemoryStream(bytes, writable: false), full);
        }
        catch (InvalidDataException e)
        {
            throw new ModelLoadException(ModelLoadException.OneLine(e.Message), e);
        }

        StnOnnxGraph graph;
        try
        {
            graph = StnOnnxGraph.Read(new MemoryStream(bytes, writable: false));
        }
        catch (InvalidDataException e)
        {
            throw new ModelLoadException($"'{full}' is not a model this service can serve: {e.Message}", e);
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
            throw new ModelLoadException($"ML.NET could not load '{full}' ({e.GetType().Name}: {ModelLoadException.OneLine(e.Message)}). Was it saved with a different ML.NET version?", e);
        }

        var description = graph.Description;
        ScoringPipeline? pipeline = null;
        try
        {
            var (transformer, imageColumn, outputSchema) = ImageChain.Cut(mlContext, model, inputSchema, description, full);
            var columns = OutputColumns.Find(outputSchema, description, graph.OnnxModel, imageColumn, full);
            pipeline = new ScoringPipeline(transformer, ImageRows.Schema(imageColumn), columns);
            int concurrency = options.EffectiveConcurrency;
            IModelScorer scorer = options.Mode == ScoringMode.MicroBatch
                ? new MicroBatchScorer(pipeline, concurrency, options.MaxMicroBatch)
                : new EnginePoolScorer(pipeline, concurrency);
            return new ServedModel(full, fileSha256, description, columns, pipeline, scorer, options.Mode, concurrency);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing served: release the ONNX Runtime session of the loaded chain now.
            foreach (var part in ScoringPipeline.Parts(model))
                (part as IDisposable)?.Dispose();
            pipeline?.Dispose();
            if (e is ModelLoadException)
                throw;
            throw new ModelLoadException($"'{full}' loaded, but scoring a test image with it failed ({e.GetType().Name}: {ModelLoadException.OneLine(e.Message)}).", e);
        }
    }

    /// <summary>ONNX Runtime settings for a service that scores many small requests in parallel.</summary>
    private static Microsoft.ML.OnnxRuntime.SessionOptions SessionOptionsFor(int intraOpThreads)
    {
        var session = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = intraOpThreads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return session;
    }

    private static bool IsZip(byte[] bytes) => bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K';
}
