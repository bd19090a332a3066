using ScoringService;
using ScoringService.Model;

// dotnet run -c Release --project samples/ScoringService -- --model output/model.zip --urls http://127.0.0.1:5080
// Settings: appsettings.json, section "Scoring" (ServiceOptions), or --Scoring:MaxImageBytes=… on the command line.
var builder = WebApplication.CreateBuilder(args);
builder.AddScoringService();
var app = builder.Build();
app.UseScoringService();

// The model is loaded (and its scorers warmed up) before the server listens: /health answers only once it is ready.
if (app.Services.GetRequiredService<ModelHolder>().LoadAtStart() is { } error)
{
    Console.Error.WriteLine($"ScoringService: {error}");
    return 2;
}
await app.RunAsync();
return 0;

/// <summary>The entry point (public for WebApplicationFactory in the tests).</summary>
public partial class Program;
