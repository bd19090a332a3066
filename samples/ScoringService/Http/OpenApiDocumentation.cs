using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ScoringService.Http;

/// <summary>
/// The request bodies in the OpenAPI document (<c>/openapi/v1.json</c>): the handlers read the body themselves (to
/// refuse bad uploads with a problem response of their own), so the document is told what they accept.
/// </summary>
public static class OpenApiDocumentation
{
    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp", "application/octet-stream"];

    /// <summary>A body of one image (raw, or the form field <paramref name="field"/>) or of several (form field repeated).</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> ImageRequestBody(string field, bool many) =>
        (operation, _, _) =>
        {
            var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            var form = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { field },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    [field] = many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = binary } : binary,
                },
            };
            var content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = form } };
            if (!many)
                foreach (var type in ImageTypes)
                    content[type] = new OpenApiMediaType { Schema = binary };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = many
                    ? $"A multipart/form-data form with one file field '{field}' per image (PNG, JPEG, BMP, GIF or WebP)."
                    : $"One PNG, JPEG, BMP, GIF or WebP image: the raw body, or the file field '{field}' of a multipart/form-data form.",
                Content = content,
            };
            return Task.CompletedTask;
        };
}
