using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScoringService.Model;

namespace ScoringService.Http;

/// <summary>
/// <c>GET /health</c>: Healthy (200) once the model is loaded; Degraded (200) when the model file was replaced by one
/// that cannot be served (the previous model is still served); Unhealthy (503) with no model.
/// </summary>
public sealed class ModelHealthCheck(ModelHolder models) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (models.Current is not { } model)
            return Task.FromResult(HealthCheckResult.Unhealthy("No model is loaded."));
        var data = new Dictionary<string, object>
        {
            ["model"] = model.Path,
            ["graphSha256"] = model.Graph.Sha256,
            ["loadedAt"] = model.LoadedAt,
        };
        if (models.LastReloadError is { } error)
        {
            data["reloadError"] = error;
            return Task.FromResult(HealthCheckResult.Degraded("The model file was replaced by one that cannot be served; the previous model is still served.", data: data));
        }
        return Task.FromResult(HealthCheckResult.Healthy("The model is loaded.", data));
    }

    /// <summary>Writes the report as JSON: status, description and the model's data.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var entry = report.Entries.Values.FirstOrDefault();
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["description"] = entry.Description,
            ["data"] = entry.Data,
        }, JsonSerializerOptions.Web), context.RequestAborted);
    }
}
