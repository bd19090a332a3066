using Microsoft.Extensions.Options;
using ScoringService.Model;

namespace ScoringService.Http;

/// <summary>The network input the model expects.</summary>
/// <param name="Width">Input width: every image is stretched to it (ML.NET ResizeImages, Fill, nearest neighbour).</param>
/// <param name="Height">Input height.</param>
/// <param name="Channels">3 (R, G, B).</param>
/// <param name="Kind">"image" or "pixel-vector" (a model trained on float pixels; the service makes them the same way).</param>
/// <param name="Preprocessing">How the pixels are made, in one sentence.</param>
public sealed record ModelInput(int Width, int Height, int Channels, string Kind, string Preprocessing);

/// <summary>The optional outputs the model was saved with.</summary>
/// <param name="WarpParameters">Values of the warp column, or null when there is none.</param>
/// <param name="RectifiedWidth">Width of the rectified image, or null when the model has no rectified column.</param>
/// <param name="RectifiedHeight">Height of the rectified image.</param>
public sealed record ModelOutputs(int? WarpParameters, int? RectifiedWidth, int? RectifiedHeight);

/// <summary>The limits requests are held to.</summary>
public sealed record ServiceLimits(long MaxImageBytes, long MaxImagePixels, int MaxBatchImages, long MaxBatchBytes);

/// <summary>What <c>GET /model</c> returns.</summary>
/// <param name="Path">The model file.</param>
/// <param name="FileSha256">SHA-256 of the model file.</param>
/// <param name="GraphSha256">SHA-256 of the ONNX graph the model scores with (StnOnnxGraph's description): compare it with the one recorded at training.</param>
/// <param name="Classes">The class labels, in score order.</param>
/// <param name="Input">The network input.</param>
/// <param name="Architecture">Network architecture (e.g. InverseCompositionalStn).</param>
/// <param name="Warp">Warp family.</param>
/// <param name="Sampler">The sampler the network was trained with; scoring samples bilinearly (ONNX GridSample), the forward pass of every sampler.</param>
/// <param name="Downsampling">How much smaller than the input the classifier's view is.</param>
/// <param name="Summary">The graph's own description.</param>
/// <param name="Outputs">Optional outputs.</param>
/// <param name="ScoringMode">How concurrent requests share the model.</param>
/// <param name="Concurrency">Images scored at the same time.</param>
/// <param name="Limits">Request limits.</param>
/// <param name="LoadedAt">When this model was loaded.</param>
public sealed record ModelDescription(string Path, string FileSha256, string GraphSha256, IReadOnlyList<string> Classes, ModelInput Input,
    string? Architecture, string? Warp, string? Sampler, int? Downsampling, string Summary, ModelOutputs Outputs,
    string ScoringMode, int Concurrency, ServiceLimits Limits, DateTimeOffset LoadedAt);

/// <summary><c>GET /model</c>.</summary>
public static class ModelEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/model", (ModelHolder models, IOptions<ServiceOptions> options) =>
            {
                using var lease = models.Acquire();
                return Results.Ok(Describe(lease.Model, options.Value));
            })
            .WithName("Model")
            .WithSummary("What the service is serving: classes, input size, architecture, sampler, the graph's SHA-256, limits.")
            .Produces<ModelDescription>();
        return app;
    }

    /// <summary>The description of <paramref name="model"/>.</summary>
    public static ModelDescription Describe(ServedModel model, ServiceOptions options)
    {
        var graph = model.Graph;
        var columns = model.Columns;
        return new ModelDescription(model.Path, model.FileSha256, graph.Sha256, columns.ClassLabels,
            new ModelInput(graph.Width, graph.Height, graph.Channels, columns.Input, graph.Preprocessing),
            model.Network.Architecture, model.Network.Warp, model.Network.Sampler, model.Network.Downsampling, graph.Summary,
            new ModelOutputs(columns.WarpParameters, columns.Rectified?.Width, columns.Rectified?.Height),
            model.Mode.ToString(), model.Concurrency,
            new ServiceLimits(options.MaxImageBytes, options.MaxImagePixels, options.MaxBatchImages, options.MaxBatchBytes), model.LoadedAt);
    }
}
