using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// The local linear model that linearized multi-sampling fits around each query point p0:
/// I(p0 + d) ≈ Center + SlopeX·dx + SlopeY·dy + Intercept, d in normalized coordinates. All tensors are detached.
/// </summary>
/// <param name="Center">(N, C, Hout, Wout): bilinear(p0).</param>
/// <param name="SlopeX">(N, C, Hout, Wout): a, the fitted dI/dx per normalized unit.</param>
/// <param name="SlopeY">(N, C, Hout, Wout): b, the fitted dI/dy per normalized unit.</param>
/// <param name="Intercept">(N, C, Hout, Wout): c, the plane's value at p0 minus bilinear(p0).</param>
internal sealed record LinearizedFit(Tensor Center, Tensor SlopeX, Tensor SlopeY, Tensor Intercept) : IDisposable
{
    /// <summary>Disposes the four tensors.</summary>
    public void Dispose()
    {
        Center.Dispose();
        SlopeX.Dispose();
        SlopeY.Dispose();
        Intercept.Dispose();
    }
}
