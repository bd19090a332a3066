using System.Diagnostics;
using Microsoft.Extensions.Options;
using ScoringService.Imaging;
using ScoringService.Model;

namespace ScoringService.Http;

/// <summary><c>POST /predict</c> (one image) and <c>POST /predict/batch</c> (several, results in order).</summary>
public static class PredictEndpoints
{
    /// <summary>Maps the two endpoints.</summary>
    public static IEndpointRouteBuilder MapPredictEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", PredictAsync)
            .WithName("Predict")
            .WithSummary("Classify one image.")
            .WithDescription("The image as the raw body (Content-Type image/png, image/jpeg, image/bmp, image/gif, image/webp or application/octet-stream) or as the file field 'image' of a multipart/form-data form. "
                + "Returns the label, its probability, the top 5, the warp parameters and the timings; with ?rectified=true also what the classifier saw after the spatial transformer, as a base64 PNG.")
            .AddOpenApiOperationTransformer(OpenApiDocumentation.ImageRequestBody(UploadReader.ImageField, many: false))
            .Produces<Prediction>(StatusCodes.Status200OK, "application/json")
            .ProducesUploadProblems();
        app.MapPost("/predict/batch", PredictBatchAsync)
            .WithName("PredictBatch")
            .WithSummary("Classify several images in one request.")
            .WithDescription("A multipart/form-data form with one file field 'images' per image (repeated). Returns one prediction per image, in the order of the form. "
                + "One image that cannot be decoded refuses the whole batch, naming it (index, file name) in 'errors'.")
            .AddOpenApiOperationTransformer(OpenApiDocumentation.ImageRequestBody(UploadReader.ImagesField, many: true))
            .Produces<BatchPrediction>(StatusCodes.Status200OK, "application/json")
            .ProducesUploadProblems();
        return app;
    }

    /// <summary>The problem responses both predict endpoints declare in the OpenAPI document (400, 413, 415, 422).</summary>
    private static RouteHandlerBuilder ProducesUploadProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> PredictAsync(HttpRequest request, ModelHolder models, IOptions<ServiceOptions> options, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!TryRectifiedFlag(request, out bool withRectified, out var flagProblem))
            return flagProblem;
        var (upload, problem) = await UploadReader.ReadImageAsync(request, settings, cancellationToken);
        if (problem is not null)
            return problem;
        long started = Stopwatch.GetTimestamp();
        if (!StrictImageDecoder.TryDecode(upload!.Bytes.Span, upload.Name, settings.MaxImagePixels, out var image, out var rejection))
            return Problems.Of(rejection);
        using (image)
        {
            double decodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            using var lease = models.Acquire();
            long scoring = Stopwatch.GetTimestamp();
            var row = await lease.Model.Scorer.ScoreAsync(image.Image, cancellationToken);
            double scoringMs = Stopwatch.GetElapsedTime(scoring).TotalMilliseconds;
            var prediction = PredictionBuilder.Build(lease.Model, row, new ImageSummary(image.Format, image.Width, image.Height), withRectified,
                decodeMs: Math.Round(decodeMs, 3), scoringMs: Math.Round(scoringMs, 3));
            return prediction is null ? Unscorable(upload.Name) : Results.Ok(prediction);
        }
    }

    private static async Task<IResult> PredictBatchAsync(HttpRequest request, ModelHolder models, IOptions<ServiceOptions> options, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!TryRectifiedFlag(request, out bool withRectified, out var flagProblem))
            return flagProblem;
        var (uploads, problem) = await UploadReader.ReadImagesAsync(request, settings, cancellationToken);
        if (problem is not null)
            return problem;
        long started = Stopwatch.GetTimestamp();
        var images = new List<DecodedImage>(uploads!.Count);
        try
        {
            var errors = new List<Dictionary<string, object?>>();
            ImageRejection? first = null;
            for (int i = 0; i < uploads.Count; i++)
            {
                if (StrictImageDecoder.TryDecode(uploads[i].Bytes.Span, uploads[i].Name, settings.MaxImagePixels, out var image, out var rejection))
                    images.Add(image);
                else
                {
                    first ??= rejection;
                    errors.Add(new() { ["index"] = i, ["fileName"] = uploads[i].FileName, ["status"] = rejection.Status, ["code"] = rejection.Code, ["detail"] = rejection.Detail });
                }
            }
            if (first is not null)
                return Problems.Of(first.Status, first.Code, errors.Count == 1 ? first.Title : $"{errors.Count} of the {uploads.Count} images cannot be scored.",
                    errors.Count == 1 ? first.Detail : $"{first.Detail} And {errors.Count - 1} more: see 'errors'. Nothing was scored.",
                    new Dictionary<string, object?> { ["errors"] = errors });
            double decodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            using var lease = models.Acquire();
            long scoring = Stopwatch.GetTimestamp();
            var rows = await lease.Model.Scorer.ScoreBatchAsync(images.Select(i => i.Image).ToList(), cancellationToken);
            double scoringMs = Stopwatch.GetElapsedTime(scoring).TotalMilliseconds;
            var results = new List<Prediction>(rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                var prediction = PredictionBuilder.Build(lease.Model, rows[i], new ImageSummary(images[i].Format, images[i].Width, images[i].Height), withRectified,
                    index: i, fileName: uploads[i].FileName);
                if (prediction is null)
                    return Unscorable(uploads[i].Name);
                results.Add(prediction);
            }
            return Results.Ok(new BatchPrediction(results.Count, Math.Round(decodeMs, 3), Math.Round(scoringMs, 3), results));
        }
        finally
        {
            foreach (var image in images)
                image.Dispose();
        }
    }

    /// <summary>Reads ?rectified=true|false (also 1|0); absent = false.</summary>
    private static bool TryRectifiedFlag(HttpRequest request, out bool value, out IResult problem)
    {
        value = false;
        problem = Results.Empty;
        var raw = request.Query["rectified"];
        if (raw.Count == 0)
            return true;
        switch (raw.ToString().ToLowerInvariant())
        {
            case "true" or "1" or "":
                value = true;
                return true;
            case "false" or "0":
                return true;
            default:
                problem = Problems.Of(StatusCodes.Status400BadRequest, "bad-query", "Bad query parameter 'rectified'.",
                    $"The query parameter 'rectified' is '{raw}'; use rectified=true (return what the classifier saw, as a base64 PNG) or rectified=false.");
                return false;
        }
    }

    private static IResult Unscorable(string name) => Problems.Of(StatusCodes.Status422UnprocessableEntity, "unscorable", "The model could not score the image.",
        $"The model gave non-finite scores for {name}: the model, not the image, is at fault (a model trained to NaN). Serve a model whose evaluation gave finite scores.");
}
