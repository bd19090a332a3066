using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ScoringService.Tests.Support;

/// <summary>The service in-process (WebApplicationFactory), serving <paramref name="modelPath"/> with optional settings.</summary>
internal sealed class ServiceFactory(string modelPath, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");   // what users run: no developer exception page
        builder.UseSetting("model", modelPath);
        builder.UseSetting("Scoring:WatchModelFile", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
    }
}
