using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using ScoringService.Http;
using ScoringService.Model;

namespace ScoringService;

/// <summary>The service's composition: its services and its HTTP pipeline.</summary>
public static class ServiceSetup
{
    /// <summary>Registers options, the model holder, hot reload, problem details, health checks and OpenAPI.</summary>
    public static WebApplicationBuilder AddScoringService(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The service's appsettings.json sits next to its dll; the content root is the working directory, so a service
        // started from elsewhere (dotnet publish/ScoringService.dll …) would not read it. Read it first (lowest
        // priority), when the content root has none.
        if (!File.Exists(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json"))
            && File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))
            builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
            {
                Path = "appsettings.json", Optional = true, FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            });
        // One log line per request would cost more than scoring it: ASP.NET Core's own logs at Warning unless configured.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var services = builder.Services;
        services.AddOptions<ServiceOptions>()
            .Bind(builder.Configuration.GetSection(ServiceOptions.Section))
            .PostConfigure<IConfiguration>((options, configuration) => options.ModelPath = configuration["model"] ?? options.ModelPath);
        services.AddSingleton<ModelHolder>();
        services.AddHostedService<ModelFileWatcher>();
        services.AddOptions<FormOptions>().Configure<Microsoft.Extensions.Options.IOptions<ServiceOptions>>((form, scoring) =>
        {
            form.MultipartBodyLengthLimit = scoring.Value.MaxBatchBytes;
            form.MemoryBufferThreshold = 1024 * 1024;
        });
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        services.AddHealthChecks().AddCheck<ModelHealthCheck>("model");
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MlLinearized scoring service";
            document.Info.Description = "Classifies images with a saved STN model (model.zip) and shows what its spatial transformer did.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>Maps the endpoints: the page, /predict, /predict/batch, /model, /health, /openapi/v1.json; problem details for every error status.</summary>
    public static WebApplication UseScoringService(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapPage();
        app.MapPredictEndpoints();
        app.MapModelEndpoints();
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = ModelHealthCheck.WriteAsync });
        app.MapOpenApi();
        return app;
    }
}
