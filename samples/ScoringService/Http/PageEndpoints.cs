using System.Reflection;

namespace ScoringService.Http;

/// <summary>
/// <c>GET /</c>: the page (static HTML, CSS and plain JavaScript, embedded in the assembly: no build step, no files to
/// lose when publishing).
/// </summary>
public static class PageEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
    ];

    /// <summary>Maps the page's files.</summary>
    public static IEndpointRouteBuilder MapPage(this IEndpointRouteBuilder app)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            byte[] content = Read(resource);
            app.MapGet(path, (HttpResponse response) =>
                {
                    response.Headers.CacheControl = "no-cache";
                    return Results.Bytes(content, contentType);
                })
                .ExcludeFromDescription();
        }
        return app;
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ScoringService.Page." + name)
            ?? throw new InvalidOperationException($"The page file '{name}' is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
