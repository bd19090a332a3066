using MlLinearized.TestSupport;

namespace TrafficSigns.Experiments.Tests.Support;

/// <summary>Runs the built TrafficSigns.Experiments program as a child process in a fresh output folder.</summary>
internal sealed class ExperimentsProcess : IDisposable
{
    public ExperimentsProcess()
    {
        Output = Directory.CreateTempSubdirectory("trafficsigns-experiments-tests-").FullName;
    }

    /// <summary>The --output folder of this run (added to a command line that names none, for the commands that take one).</summary>
    public string Output { get; }

    /// <summary>The program's built-in data (the GTSRB subset in the Kaggle layout).</summary>
    public static string BuiltInData => Path.Combine(ProgramDirectory, "Data", "gtsrb-subset");

    private static string ProgramDirectory => ChildProcess.BuiltOutput("samples/TrafficSigns.Experiments");

    public (int ExitCode, string Log) Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the program with extra environment variables.</summary>
    public (int ExitCode, string Log) Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var env = new Dictionary<string, string>(environment) { ["COLUMNS"] = "200" };
        bool takesOutput = arguments.Length > 0 && arguments[0] is "table" or "gradient-field" or "align" or "rectify";
        string[] all = !takesOutput || arguments.Contains("--output") ? arguments : [.. arguments, "--output", Output];
        return ChildProcess.Run(Path.Combine(ProgramDirectory, "TrafficSigns.Experiments.dll"), all, TimeSpan.FromMinutes(3), Output, env);
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
