namespace Ml.Transforms.Devices;

/// <summary>
/// Relative errors of one float32 evaluation of the probe network against its float64 evaluation on the same device:
/// max |float32 − float64| / max |float64| over each tensor. About 1e-6 is normal on a CPU; a NaN or infinite result
/// counts as <see cref="double.PositiveInfinity"/>.
/// </summary>
/// <param name="Forward">Of the network's output.</param>
/// <param name="InputGradient">Of the gradient of the loss with respect to the input images.</param>
/// <param name="WeightGradient">The largest over the gradients of the convolution and linear weights.</param>
internal sealed record ConvolutionErrors(double Forward, double InputGradient, double WeightGradient)
{
    /// <summary>The largest of the three errors.</summary>
    public double Worst => Math.Max(Forward, Math.Max(InputGradient, WeightGradient));

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"forward {Format(Forward)}, input gradient {Format(InputGradient)}, weight gradient {Format(WeightGradient)}");

    internal static string Format(double error) => double.IsFinite(error) ? error.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture) : "NaN/Inf";
}
