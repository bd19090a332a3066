namespace Ml.Transforms.Devices;

/// <summary>
/// What <see cref="TorchNumerics.Check"/> found on one device: whether libtorch's default convolution path is right,
/// whether the process now runs with oneDNN off, and the worst error of the path in use.
/// </summary>
public sealed record NumericsCheckResult
{
    /// <summary>Made by <see cref="TorchNumerics"/> only.</summary>
    internal NumericsCheckResult()
    {
    }

    /// <summary>The libtorch device checked, e.g. "cpu" or "cuda:0".</summary>
    public required string Device { get; init; }

    /// <summary>
    /// oneDNN is off for the whole process from now on (libtorch's <c>at::globalContext().setUserEnabledMkldnn(false)</c>,
    /// what PyTorch's <c>torch.backends.mkldnn.enabled = False</c> does): convolutions run libtorch's native CPU kernels,
    /// correct and slower. False: libtorch's own choice is in use (oneDNN on CPUs that have it, cuDNN on CUDA).
    /// </summary>
    public bool OneDnnDisabled { get; init; }

    /// <summary>
    /// The largest relative error (max |float32 − float64| / max |float64| over the output and every gradient) of the
    /// path in use; about 1e-6 is normal on a CPU, NaN or infinite results count as infinity.
    /// </summary>
    public double WorstError => (ChosenPathErrors ?? DefaultPathErrors).Worst;

    /// <summary>Errors of libtorch's default path (NaN until measured).</summary>
    internal ConvolutionErrors DefaultPathErrors { get; init; } = new(double.NaN, double.NaN, double.NaN);

    /// <summary>Errors of the fallback when <see cref="OneDnnDisabled"/>; null otherwise.</summary>
    internal ConvolutionErrors? ChosenPathErrors { get; init; }

    /// <summary>The largest relative error that counts as correct (1e-4 on a CPU; 1e-2 on CUDA, where cuDNN may use TF32).</summary>
    public required double Tolerance { get; init; }

    /// <summary>The fallback was forced (<see cref="TorchNumerics.ForceFallbackVariable"/> or the <c>forceFallback</c> argument), not chosen because the default path failed.</summary>
    public bool Forced { get; init; }

    /// <summary>Wall time of the check, both evaluations and the fallback's included.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// NNPACK (a convolution library libtorch tries on CPUs) cannot run on this CPU, so the check turned it off for the
    /// process; libtorch printed "Could not initialize NNPACK! Reason: Unsupported hardware." once while finding out.
    /// Nothing else changes: the convolutions run on the path above.
    /// </summary>
    public bool NnpackDisabled { get; init; }

    /// <summary>libtorch's default path agreed with float64 within <see cref="Tolerance"/>.</summary>
    public bool DefaultPathCorrect => DefaultPathErrors.Worst <= Tolerance;

    /// <summary>One plain sentence for logs and consoles: what was checked, what was found, which path is in use.</summary>
    public string Summary
    {
        get
        {
            var what = $"Numerics self-check on {Device} (convolution forward and backward, float32 vs float64):";
            string limit = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is { Length: > 0 } isa ? $" (DNNL_MAX_CPU_ISA={isa})" : "";
            string nnpack = NnpackDisabled ? " NNPACK does not support this CPU and is off (libtorch's \"Could not initialize NNPACK\" line is about that, not an error)." : "";
            if (!OneDnnDisabled)
                return $"{what} correct, worst relative error {ConvolutionErrors.Format(DefaultPathErrors.Worst)}; using libtorch's default path{limit}.{nnpack}";
            var reason = Forced
                ? $"the oneDNN-off fallback was forced ({TorchNumerics.ForceFallbackVariable}); the default path's worst relative error was {ConvolutionErrors.Format(DefaultPathErrors.Worst)}"
                : $"libtorch's default (oneDNN) path is WRONG on this machine ({DefaultPathErrors}; tolerance {ConvolutionErrors.Format(Tolerance)})";
            return $"{what} {reason}. Switched oneDNN off for this process: worst relative error now {ConvolutionErrors.Format(ChosenPathErrors?.Worst ?? double.NaN)}. " +
                "Training is correct but slower (docs/performance.md)" +
                (Forced || limit.Length > 0 ? "." : "; starting the process with the environment variable DNNL_MAX_CPU_ISA=SSE41 keeps oneDNN with kernels that were right on such CPUs and trains about 1.3× faster than oneDNN off (the check runs again there).") + nnpack;
        }
    }
}
