namespace ScoringService.Tests.Support;

/// <summary>
/// One in-process service on <see cref="TrainedModels.Full"/> with the default settings, shared by the test classes
/// that only read from it (the model is loaded and its engines warmed up once); stopped at assembly cleanup.
/// </summary>
internal static class SharedService
{
    private static readonly Lazy<(ServiceFactory Factory, HttpClient Client)> Instance = new(() =>
    {
        var factory = new ServiceFactory(TrainedModels.Full);
        return (factory, factory.CreateClient());
    });

    /// <summary>A client of the shared service (started on first use).</summary>
    public static HttpClient Client => Instance.Value.Client;

    /// <summary>Stops the service if it was started.</summary>
    public static void Stop()
    {
        if (!Instance.IsValueCreated)
            return;
        Instance.Value.Client.Dispose();
        Instance.Value.Factory.Dispose();
    }
}
