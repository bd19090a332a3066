using System.Diagnostics;
using static TorchSharp.torch;

namespace Ml.Transforms.Devices;

/// <summary>
/// A numerical self-check of libtorch on the device in use, run once per process and device before the first training
/// step of every entry point that trains. libtorch 2.10's oneDNN convolution BACKWARD is wrong on some CPUs (seen on AMD
/// EPYC with AVX-512: large relative errors or NaN while the forward pass is right; measured: docs/performance.md,
/// "The numerics fallback"), which silently ruins training.
/// The check evaluates a small seeded convolutional network (the layers this library trains) in float32 and float64 and
/// compares outputs and gradients. When libtorch's default path is wrong on a CPU it turns oneDNN off for the process
/// (<see cref="NumericsCheckResult.OneDnnDisabled"/>; correct, slower — measured in docs/performance.md), checks again and
/// reports what it did. On CUDA there is no fallback: a failing check throws.
/// <para>
/// The fallback can be forced anywhere, to test it or to rule oneDNN out: set the environment variable
/// <see cref="ForceFallbackVariable"/> to 1, or call <see cref="Check"/> with <c>forceFallback: true</c>. To keep oneDNN
/// but limit it to an instruction set that is right, set <c>DNNL_MAX_CPU_ISA</c> (e.g. SSE41) before the process starts:
/// oneDNN reads it once, so it cannot be changed from inside a running process; the check then passes on the default path.
/// </para>
/// </summary>
public static class TorchNumerics
{
    /// <summary>Environment variable that forces the oneDNN-off fallback when set to 1 (or true): "MLLINEARIZED_NUMERICS_FALLBACK".</summary>
    public const string ForceFallbackVariable = "MLLINEARIZED_NUMERICS_FALLBACK";

    private static readonly Dictionary<string, NumericsCheckResult> results = [];
    private static readonly object gate = new();

    /// <summary>
    /// The result of this process's check on <paramref name="device"/>, running it first when there is none yet
    /// (forcing the fallback when <see cref="ForceFallbackVariable"/> is set). What every training entry point calls.
    /// </summary>
    /// <param name="device">The libtorch device training will use.</param>
    /// <param name="report">Called with <see cref="NumericsCheckResult.Summary"/> when the check runs now (not when it was cached).</param>
    /// <exception cref="InvalidOperationException">Convolution gradients are wrong on this device and no fallback makes them right.</exception>
    public static NumericsCheckResult EnsureChecked(Device device, Action<string>? report = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (gate)
        {
            if (results.TryGetValue(device.ToString(), out var known))
                return known;
            var result = Check(device, FallbackForcedByEnvironment());
            report?.Invoke(result.Summary);
            return result;
        }
    }

    /// <summary>
    /// Runs the check on <paramref name="device"/> now (one small network; its cost: docs/performance.md, "The numerics
    /// fallback"): libtorch's default path first; then, on a CPU, when it is wrong or <paramref name="forceFallback"/> is
    /// set, oneDNN is turned off for the process and the check repeated. Remembers the result for <see cref="EnsureChecked"/>.
    /// </summary>
    /// <param name="device">The libtorch device to check (CPU or CUDA).</param>
    /// <param name="forceFallback">Use the fallback even when the default path is right (CPU only).</param>
    /// <returns>What was checked, whether oneDNN is off from now on, and the worst error of the path in use.</returns>
    /// <exception cref="InvalidOperationException">Convolution gradients are wrong on this device and no fallback makes them right.</exception>
    public static NumericsCheckResult Check(Device device, bool forceFallback = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (gate)
        {
            var clock = Stopwatch.StartNew();
            bool cpu = device.type == TorchSharp.DeviceType.CPU;
            double tolerance = cpu ? 1e-4 : 1e-2;
            if (cpu && LibTorchContext.CanSwitchOneDnn)
                LibTorchContext.OneDnnEnabled = true;
            bool nnpackOff = cpu && LibTorchContext.DisableNnpackWhereUnsupported();
            var defaultErrors = ConvolutionProbe.Measure(device);
            bool correct = defaultErrors.Worst <= tolerance;
            NumericsCheckResult result;
            if (correct && !forceFallback)
            {
                result = new NumericsCheckResult { Device = device.ToString(), DefaultPathErrors = defaultErrors, Tolerance = tolerance };
            }
            else
            {
                if (!cpu)
                {
                    if (correct)
                        throw new InvalidOperationException($"The numerics fallback (oneDNN off) applies to the CPU only; {device} has none.");
                    throw new InvalidOperationException(
                        $"Convolution gradients are wrong on {device} ({defaultErrors}; tolerance {tolerance:0.0E+0}). No fallback exists for this device: train on the CPU (ComputeDevice.Cpu) or update the CUDA driver/libtorch.");
                }
                if (!LibTorchContext.CanSwitchOneDnn)
                    throw new InvalidOperationException(
                        $"libtorch's convolution gradients are wrong on this CPU ({defaultErrors}) and its oneDNN switch could not be reached. " +
                        "Set the environment variable DNNL_MAX_CPU_ISA=SSE41 before starting the process, then run again.");
                LibTorchContext.OneDnnEnabled = false;
                var fallbackErrors = ConvolutionProbe.Measure(device);
                if (fallbackErrors.Worst > tolerance)
                    throw new InvalidOperationException(
                        $"libtorch's convolution gradients are wrong on this CPU with oneDNN ({defaultErrors}) and without it ({fallbackErrors}). " +
                        "Set DNNL_MAX_CPU_ISA=SSE41 before starting the process, or train on another machine.");
                result = new NumericsCheckResult
                {
                    Device = device.ToString(), OneDnnDisabled = true, DefaultPathErrors = defaultErrors,
                    ChosenPathErrors = fallbackErrors, Tolerance = tolerance, Forced = correct,
                };
            }
            result = result with { Elapsed = clock.Elapsed, NnpackDisabled = nnpackOff };
            results[device.ToString()] = result;
            return result;
        }
    }

    /// <summary>Forgets every result and turns oneDNN back on (tests that force the fallback restore the process with it).</summary>
    internal static void Reset()
    {
        lock (gate)
        {
            results.Clear();
            if (LibTorchContext.CanSwitchOneDnn)
                LibTorchContext.OneDnnEnabled = true;
        }
    }

    private static bool FallbackForcedByEnvironment() =>
        Environment.GetEnvironmentVariable(ForceFallbackVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes";
}
