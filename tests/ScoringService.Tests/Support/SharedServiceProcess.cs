namespace ScoringService.Tests.Support;

/// <summary>One service process for the tests that need a real socket (real HTTP, the browser), started on first use.</summary>
internal static class SharedServiceProcess
{
    private static readonly Lazy<ServiceProcess> _process = new(() =>
    {
        var process = ServiceProcess.Start(TrainedModels.Full, TimeSpan.FromMinutes(2));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => process.Dispose();
        return process;
    });

    /// <summary>The running service (serving <see cref="TrainedModels.Full"/>).</summary>
    public static ServiceProcess Instance => _process.Value;

    /// <summary>Stops it, when it was started.</summary>
    public static void Stop()
    {
        if (_process.IsValueCreated)
            _process.Value.Dispose();
    }
}
