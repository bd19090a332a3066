using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ScoringService.Http;

/// <summary>
/// Reads the images of a request — the raw body with an image content type, or the file fields of a
/// multipart/form-data form — within the configured size limits, refusing anything else with a problem response.
/// </summary>
public static class UploadReader
{
    /// <summary>The form field of the single-image endpoint.</summary>
    public const string ImageField = "image";

    /// <summary>The form field of the batch endpoint (one per image, repeated).</summary>
    public const string ImagesField = "images";

    /// <summary>Room for a form's boundaries and part headers on top of the image bytes.</summary>
    private const long FormOverhead = 64 * 1024;

    /// <summary>Reads the one image of a <c>POST /predict</c>.</summary>
    public static async Task<(Upload? Upload, IResult? Problem)> ReadImageAsync(HttpRequest request, ServiceOptions options, CancellationToken cancellationToken)
    {
        if (IsMultipart(request.ContentType))
        {
            var (form, problem) = await ReadFormAsync(request, options.MaxImageBytes + FormOverhead, "Scoring:MaxImageBytes", cancellationToken);
            if (problem is not null)
                return (null, problem);
            var file = form!.Files.GetFile(ImageField);
            if (file is null)
                return (null, MissingField(form, ImageField, "curl -F image=@photo.jpg …"));
            return await ReadFileAsync(file, options, cancellationToken);
        }
        if (!IsImageContentType(request.ContentType))
            return (null, Problems.UnsupportedContentType(request.ContentType, batch: false));
        var (bytes, tooLarge) = await ReadBodyAsync(request, options.MaxImageBytes, cancellationToken);
        return tooLarge is not null ? (null, tooLarge) : (new Upload(bytes, "the request body", null), null);
    }

    /// <summary>Reads the images of a <c>POST /predict/batch</c>, in the order of the form.</summary>
    public static async Task<(IReadOnlyList<Upload>? Uploads, IResult? Problem)> ReadImagesAsync(HttpRequest request, ServiceOptions options, CancellationToken cancellationToken)
    {
        if (!IsMultipart(request.ContentType))
            return (null, Problems.UnsupportedContentType(request.ContentType, batch: true));
        var (form, problem) = await ReadFormAsync(request, options.MaxBatchBytes, "Scoring:MaxBatchBytes", cancellationToken);
        if (problem is not null)
            return (null, problem);
        var files = form!.Files.GetFiles(ImagesField);
        if (files.Count == 0)
            return (null, MissingField(form, ImagesField, "curl -F images=@a.png -F images=@b.jpg …"));
        if (files.Count > options.MaxBatchImages)
            return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "batch-too-large", "Too many images in one batch.",
                FormattableString.Invariant($"The batch holds {files.Count} images; the limit is {options.MaxBatchImages} (Scoring:MaxBatchImages). Split it into several requests.")));
        var uploads = new List<Upload>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            var (upload, fileProblem) = await ReadFileAsync(files[i], options, cancellationToken, index: i);
            if (fileProblem is not null)
                return (null, fileProblem);
            uploads.Add(upload!);
        }
        return (uploads, null);
    }

    private static bool IsMultipart(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for image/* and application/octet-stream; a request without a Content-Type is taken as bytes too.</summary>
    private static bool IsImageContentType(string? contentType)
    {
        if (contentType is null)
            return true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
            return false;
        return media.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || media.Type.Equals("image", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(Upload? Upload, IResult? Problem)> ReadFileAsync(IFormFile file, ServiceOptions options, CancellationToken cancellationToken, int? index = null)
    {
        string name = $"file '{file.FileName}' (field '{file.Name}'{(index is { } i ? FormattableString.Invariant($", image {i + 1}") : "")}{(string.IsNullOrEmpty(file.ContentType) ? "" : ", " + file.ContentType)})";
        var extensions = index is { } n ? new Dictionary<string, object?> { ["index"] = n, ["fileName"] = file.FileName } : null;
        if (file.Length == 0)
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "empty-image", "The image is empty.",
                $"The {name} is a zero-byte file. Send the bytes of a PNG, JPEG, BMP, GIF or WebP image.", extensions));
        if (file.Length > options.MaxImageBytes)
            return (null, Problems.TooLarge($"The {name}", file.Length, options.MaxImageBytes, "Scoring:MaxImageBytes"));
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        return (new Upload(bytes, "the " + name, file.FileName), null);
    }

    private static async Task<(byte[] Bytes, IResult? Problem)> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > limit)
            return ([], Problems.TooLarge("The request body", declared, limit, "Scoring:MaxImageBytes"));
        AllowBody(request, limit + 1);
        try
        {
            using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 16 * 1024, limit));
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                    return ([], Problems.TooLarge("The request body", buffer.Length, limit, "Scoring:MaxImageBytes"));
            }
            return (buffer.ToArray(), null);
        }
        catch (BadHttpRequestException e)
        {
            return ([], BadRequest(e, limit, "Scoring:MaxImageBytes"));
        }
    }

    private static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpRequest request, long limit, string setting, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > limit)
            return (null, Problems.TooLarge("The request body", declared, limit, setting));
        AllowBody(request, limit);
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (BadHttpRequestException e)
        {
            return (null, BadRequest(e, limit, setting));
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && !cancellationToken.IsCancellationRequested))
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "malformed-form", "The multipart form could not be read.",
                $"The request says it is a multipart/form-data form but it cannot be read as one ({e.Message}). Let your HTTP client build the form (curl -F, FormData, MultipartFormDataContent)."));
        }
    }

    /// <summary>Lets Kestrel read up to <paramref name="limit"/> bytes of this request's body (its default is 30 MB).</summary>
    private static void AllowBody(HttpRequest request, long limit)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
    }

    private static IResult BadRequest(BadHttpRequestException e, long limit, string setting) =>
        e.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problems.Of(StatusCodes.Status413PayloadTooLarge, "too-large", "The upload is too large.",
                FormattableString.Invariant($"The request body is larger than the limit of {limit:N0} bytes ({setting}). Send less or raise {setting}."))
            : Problems.Of(e.StatusCode, "bad-request", "The request could not be read.", e.Message);

    private static string Short(string name) => name.Length <= 40 ? name : name[..40] + "…";

    private static IResult MissingField(IFormCollection form, string field, string example)
    {
        var present = form.Files.Select(f => $"file field '{Short(f.Name)}'").Concat(form.Keys.Select(k => $"text field '{Short(k)}'")).Distinct().ToList();
        string fields = present.Count == 0 ? "it is empty"
            : "it has " + string.Join(", ", present.Take(5)) + (present.Count > 5 ? FormattableString.Invariant($" and {present.Count - 5} more") : "");
        return Problems.Of(StatusCodes.Status400BadRequest, "missing-form-field", $"The form has no file field '{field}'.",
            $"The multipart form has no file field '{field}' ({fields}). Send the image{(field == ImagesField ? "s" : "")} as '{field}': {example}");
    }
}
