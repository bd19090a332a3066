using System.Diagnostics;
using Ml.Transforms.Devices;
using Spectre.Console;

namespace TrafficSigns;

/// <summary>
/// When libtorch's default oneDNN convolution gradients are wrong on this CPU, the library turns oneDNN off for the
/// process (correct, about 3.5× slower to train). oneDNN limited to SSE4.1 kernels (<c>DNNL_MAX_CPU_ISA=SSE41</c>) was
/// right on the CPUs that showed the bug and trains about 1.3× faster than oneDNN off, but oneDNN reads that variable
/// once, before its first use, so a running process cannot switch to it. The program, which owns its process, starts
/// itself again with the variable set (once; the self-check runs again in the new process and falls back to oneDNN off
/// there if SSE4.1 is wrong too). A library cannot do this for its host; it says so in the check's summary.
/// </summary>
internal static class NumericsRestart
{
    /// <summary>Environment variable oneDNN reads for its highest instruction set.</summary>
    public const string IsaVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>
    /// Test switch: set to 1 to restart as if the check had found oneDNN wrong (on a CPU where it is right), so that the
    /// restart itself can be tested anywhere.
    /// </summary>
    public const string SimulateVariable = "MLLINEARIZED_NUMERICS_RESTART_TEST";

    /// <summary>Set in the restarted process so that it never restarts again.</summary>
    public const string RestartedVariable = "MLLINEARIZED_NUMERICS_RESTARTED";

    /// <summary>
    /// True when a CPU training run should restart with <c>DNNL_MAX_CPU_ISA=SSE41</c>: the check found the default path
    /// wrong (not a forced fallback), and neither the instruction set nor an earlier restart is in the environment.
    /// </summary>
    public static bool ShouldRestart(NumericsCheckResult check, Func<string, string?> environment) =>
        ShouldRestart(check.OneDnnDisabled, check.Forced, check.DefaultPathCorrect, environment);

    /// <summary>The rule of <see cref="ShouldRestart(NumericsCheckResult, Func{string, string?})"/> on the check's three facts.</summary>
    /// <param name="oneDnnDisabled">The check turned oneDNN off.</param>
    /// <param name="forced">It did so because it was asked to (MLLINEARIZED_NUMERICS_FALLBACK).</param>
    /// <param name="defaultPathCorrect">libtorch's default path was correct.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static bool ShouldRestart(bool oneDnnDisabled, bool forced, bool defaultPathCorrect, Func<string, string?> environment) =>
        oneDnnDisabled && !forced && !defaultPathCorrect
        && string.IsNullOrEmpty(environment(IsaVariable)) && string.IsNullOrEmpty(environment(RestartedVariable));

    /// <summary>
    /// Runs the CPU self-check (it is cached for the commands that follow) and, when <see cref="ShouldRestart"/>, runs this
    /// program again with the same arguments and <c>DNNL_MAX_CPU_ISA=SSE41</c>, waiting for it.
    /// </summary>
    /// <returns>The restarted process's exit code, or null to go on in this process.</returns>
    public static int? RunCheckAndMaybeRestart(IReadOnlyList<string> args)
    {
        if (TorchSharp.torch.cuda.is_available())
            return null;
        var check = TorchNumerics.EnsureChecked(TorchSharp.torch.CPU);
        bool simulated = Environment.GetEnvironmentVariable(SimulateVariable) == "1" && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RestartedVariable));
        if (!simulated && !ShouldRestart(check, Environment.GetEnvironmentVariable))
            return null;
        AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(check.Summary) + "[/]");
        AnsiConsole.MarkupLine($"[yellow]Restarting with {IsaVariable}=SSE41 (faster correct path; the check runs again there).[/]");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(NumericsRestart).Assembly.Location);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment[IsaVariable] = "SSE41";
        start.Environment[RestartedVariable] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not restart the program with DNNL_MAX_CPU_ISA=SSE41.");
        child.WaitForExit();
        return child.ExitCode;
    }
}
