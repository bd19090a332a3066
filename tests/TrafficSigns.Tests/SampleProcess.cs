using MlLinearized.TestSupport;

namespace TrafficSigns.Tests;

/// <summary>Runs the built TrafficSigns sample as a child process in a fresh output folder.</summary>
internal sealed class SampleProcess : IDisposable
{
    public SampleProcess()
    {
        Output = Directory.CreateTempSubdirectory("trafficsigns-tests-").FullName;
    }

    /// <summary>The --output folder of this run (added to a command line that names none).</summary>
    public string Output { get; }

    /// <summary>The sample's built-in data.</summary>
    public static string BuiltInData => Path.Combine(SampleDirectory, "Data", "gtsrb-subset");

    private static string SampleDirectory => ChildProcess.BuiltOutput("samples/TrafficSigns");

    public (int ExitCode, string Log) Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the sample with extra environment variables.</summary>
    public (int ExitCode, string Log) Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var env = new Dictionary<string, string>(environment) { ["COLUMNS"] = "200" };
        // --output is this run's folder unless the test names one.
        string[] all = arguments.Contains("--output") ? arguments : [.. arguments, "--output", Output];
        return ChildProcess.Run(Path.Combine(SampleDirectory, "TrafficSigns.dll"), all, TimeSpan.FromMinutes(3), Output, env);
    }

    public string File(string name)
    {
        var path = Path.Combine(Output, name);
        Assert.IsTrue(System.IO.File.Exists(path), $"{name} was not written");
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Output, recursive: true); }
        catch (IOException) { }
    }
}
