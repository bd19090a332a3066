using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MlLinearized.TestSupport;

namespace ScoringService.Tests.Support;

/// <summary>
/// The built service (samples/ScoringService's own output folder, which holds no libtorch) run as a real process on a
/// free loopback port: <c>dotnet ScoringService.dll --model … --urls http://127.0.0.1:0</c>.
/// </summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ServiceProcess(Process process, StringBuilder output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>What it printed so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The service's build output folder.</summary>
    public static string Folder => ChildProcess.BuiltOutput(Path.Combine("samples", "ScoringService"));

    /// <summary>The service's entry assembly.</summary>
    public static string Assembly => Path.Combine(Folder, "ScoringService.dll");

    /// <summary>Starts the service and waits until it listens (fails the test after <paramref name="timeout"/>).</summary>
    public static ServiceProcess Start(string modelPath, TimeSpan timeout, params string[] extraArguments)
    {
        Assert.IsTrue(File.Exists(Assembly), $"build the solution first: {Assembly} is missing");
        // From another folder, as a deployed service is started: the service must still find its appsettings.json.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TempFolder.Create("cwd") };
        foreach (var argument in (string[])[Assembly, "--model", modelPath, "--urls", "http://127.0.0.1:0", .. extraArguments])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (Listening().Match(line) is { Success: true } match)
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The service exited before it listened."));
        try
        {
            return new ServiceProcess(process, output, listening.Task.WaitAsync(timeout).GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            string log;
            lock (output) log = output.ToString();
            Assert.Fail($"The service did not start listening within {timeout.TotalSeconds:0} s ({e.Message}). Its output:\n{log}");
            throw;
        }
    }

    /// <summary>The shared libraries the process has mapped (from /proc/&lt;pid&gt;/maps).</summary>
    public IReadOnlyList<string> LoadedLibraries() =>
        File.ReadAllLines($"/proc/{Id}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 6)
            .Select(p => p[^1]).Where(p => p.Contains(".so", StringComparison.Ordinal)).Distinct().ToList();

    /// <summary>Resident memory of the process, in bytes.</summary>
    public long WorkingSet()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s/]+)")]
    private static partial Regex Listening();
}
