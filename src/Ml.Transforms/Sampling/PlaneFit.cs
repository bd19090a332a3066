using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Per-pixel least squares of v ≈ a·dx + b·dy + c: one 3×3 normal-equation system per pixel, shared by all
/// channels, solved in closed form (adjugate / determinant). Singular or ill-conditioned systems give a = b = c = 0.
/// </summary>
internal static class PlaneFit
{
    /// <summary>
    /// Smallest accepted Hadamard ratio det(M) / (M00·M11·M22) of the (scaled) normal matrix M. It is 1 for
    /// well-spread offsets and 0 for collinear ones or fewer than 3 usable offsets; below this the fit is rejected.
    /// </summary>
    public const double MinConditioning = 1e-4;

    /// <summary>Fits the plane from the K sampled values (libtorch element-wise ops: any device).</summary>
    /// <param name="values">(N, C, K, H, W): sample 0 at p0, samples 1.. at p0 + offsets.</param>
    /// <param name="offsetX">(N, K - 1, H, W) offsets in x (normalized units); |offset| &gt; 1 is left out.</param>
    /// <param name="offsetY">(N, K - 1, H, W) offsets in y.</param>
    /// <param name="sigmaX">Scale of the x offsets (their standard deviation), for conditioning.</param>
    /// <param name="sigmaY">Scale of the y offsets.</param>
    /// <returns>a, b (per normalized unit) and c, each (N, C, H, W).</returns>
    public static (Tensor A, Tensor B, Tensor C) Solve(Tensor values, Tensor offsetX, Tensor offsetY, double sigmaX, double sigmaY)
    {
        var dv = values[.., .., 1..] - values[.., .., ..1];
        var weight = offsetX.abs().le(KeptScalars.One).logical_and_(offsetY.abs().le(KeptScalars.One)).to(values.dtype);
        var dx = offsetX.Over(sigmaX);
        var dy = offsetY.Over(sigmaY);
        var wx = dx * weight;
        var wy = dy * weight;
        var sxx = (wx * dx).sum(1);
        var sxy = (wx * dy).sum(1);
        var syy = (wy * dy).sum(1);
        var sx = wx.sum(1);
        var sy = wy.sum(1);
        var s1 = weight.sum(1);

        // Cofactors of the symmetric M = [[sxx, sxy, sx], [sxy, syy, sy], [sx, sy, s1]].
        var c00 = syy * s1 - sy * sy;
        var c01 = sx * sy - sxy * s1;
        var c02 = sxy * sy - syy * sx;
        var c11 = sxx * s1 - sx * sx;
        var c12 = sxy * sx - sxx * sy;
        var c22 = sxx * syy - sxy * sxy;
        var det = (sxx * c00).Plus(sxy * c01).Plus(sx * c02);

        var scale = sxx * syy * s1;
        var wellPosed = det.gt(scale.Times(MinConditioning)).logical_and(scale.gt(KeptScalars.Zero));
        // (Tensor-on-the-right scalar operators are slow in TorchSharp 0.107: use reciprocal().)
        var inverseDet = where(wellPosed, where(wellPosed, det, ones_like(det)).reciprocal(), zeros_like(det)).unsqueeze(1);

        var bx = (dv * wx.unsqueeze(1)).sum(2); // (N, C, H, W)
        var by = (dv * wy.unsqueeze(1)).sum(2);
        var b1 = (dv * weight.unsqueeze(1)).sum(2);

        var a = (c00.unsqueeze(1) * bx).Plus(c01.unsqueeze(1) * by).Plus(c02.unsqueeze(1) * b1) * inverseDet;
        var b = (c01.unsqueeze(1) * bx).Plus(c11.unsqueeze(1) * by).Plus(c12.unsqueeze(1) * b1) * inverseDet;
        var c = (c02.unsqueeze(1) * bx).Plus(c12.unsqueeze(1) * by).Plus(c22.unsqueeze(1) * b1) * inverseDet;
        return (a.OverInPlace(sigmaX), b.OverInPlace(sigmaY), c);
    }
}
