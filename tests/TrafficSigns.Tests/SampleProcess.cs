using System.Diagnostics;

namespace TrafficSigns.Tests;

/// <summary>Runs the built TrafficSigns sample as a child process in a fresh output folder.</summary>
internal sealed class SampleProcess : IDisposable
{
    public SampleProcess()
    {
        Output = Directory.CreateTempSubdirectory("trafficsigns-tests-").FullName;
    }

    /// <summary>The --output folder of this run.</summary>
    public string Output { get; }

    /// <summary>The sample's built-in data.</summary>
    public static string BuiltInData => Path.Combine(SampleDirectory, "Data", "gtsrb-subset");

    private static string SampleDirectory
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory);
            return Path.GetFullPath(Path.Combine(testBin.FullName, "..", "..", "..", "..", "..", "samples", "TrafficSigns", "bin",
                testBin.Parent!.Name, testBin.Name));
        }
    }

    public (int ExitCode, string Log) Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the sample with extra environment variables.</summary>
    public (int ExitCode, string Log) Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var sample = Path.Combine(SampleDirectory, "TrafficSigns.dll");
        Assert.IsTrue(System.IO.File.Exists(sample), $"build the solution first: {sample} is missing");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Output, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(sample);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add(Output);
        start.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000)) { process.Kill(true); Assert.Fail("the sample did not finish in 3 minutes"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
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
