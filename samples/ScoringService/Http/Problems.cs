using ScoringService.Imaging;

namespace ScoringService.Http;

/// <summary>
/// RFC 7807 problem details (application/problem+json) for every request the service refuses: a status, a title, a
/// detail that says what was wrong and how to fix it, and a stable <c>code</c>.
/// </summary>
public static class Problems
{
    /// <summary>A problem response.</summary>
    public static IResult Of(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: all);
    }

    /// <summary>The problem response for an image the decoder refused.</summary>
    public static IResult Of(ImageRejection rejection, IDictionary<string, object?>? extensions = null) =>
        Of(rejection.Status, rejection.Code, rejection.Title, rejection.Detail, extensions);

    /// <summary>415: a request body that is neither an image nor a multipart form.</summary>
    public static IResult UnsupportedContentType(string? contentType, bool batch) => Of(StatusCodes.Status415UnsupportedMediaType,
        "unsupported-content-type", "Unsupported content type.",
        (contentType is null ? "The request has no Content-Type. " : $"The request's Content-Type is '{contentType}'. ")
        + (contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            ? "(That is what curl --data-binary sends unless told otherwise.) " : "")
        + (batch
            ? "Send the images as a multipart/form-data form with one file field 'images' per image (curl -F images=@a.png -F images=@b.jpg …)."
            : $"Send the image as the raw body with an image Content-Type (curl -H 'Content-Type: image/png' --data-binary @a.png …) or as the file field 'image' of a multipart/form-data form (curl -F image=@a.png …); {StrictImageDecoder.AcceptedFormats}."));

    /// <summary>413: a request or an image over a size limit.</summary>
    public static IResult TooLarge(string what, long bytes, long limit, string setting) => Of(StatusCodes.Status413PayloadTooLarge,
        "too-large", "The upload is too large.",
        FormattableString.Invariant($"{what} is {bytes:N0} bytes; the limit is {limit:N0} bytes ({setting}). Send a smaller image (the network sees it at its own small input size anyway) or raise {setting}."));
}
