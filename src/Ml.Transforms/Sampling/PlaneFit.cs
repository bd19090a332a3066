using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// Per-pixel weighted least squares of v ≈ a·dx + b·dy + c: one 3×3 normal-equation system per pixel, shared by all
/// channels, solved in closed form (adjugate / determinant). Singular or ill-conditioned systems give a = b = c = 0.
/// </summary>
internal static class PlaneFit
{
    /// <summary>
    /// Smallest accepted Hadamard ratio det(M) / (M00·M11·M22) of the (scaled) normal matrix M. It is 1 for
    /// well-spread offsets and 0 for collinear ones or fewer than 3 usable offsets; below this the fit is rejected.
    /// </summary>
    public const double MinConditioning = 1e-4;

    /// <summary>Fits the plane.</summary>
    /// <param name="dx">(N, M, H, W) offsets in x, already scaled to about unit size.</param>
    /// <param name="dy">(N, M, H, W) offsets in y, likewise.</param>
    /// <param name="weight">(N, M, H, W), 1 for offsets that take part, 0 for those left out.</param>
    /// <param name="dv">(N, C, M, H, W) value differences.</param>
    /// <returns>a, b, c, each (N, C, H, W), in the units of dx and dy.</returns>
    public static (Tensor A, Tensor B, Tensor C) Solve(Tensor dx, Tensor dy, Tensor weight, Tensor dv)
    {
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
        var det = sxx * c00 + sxy * c01 + sx * c02;

        var scale = sxx * syy * s1;
        var wellPosed = det.gt(scale * MinConditioning).logical_and(scale.gt(0));
        var inverseDet = where(wellPosed, 1.0 / where(wellPosed, det, ones_like(det)), zeros_like(det)).unsqueeze(1);

        var bx = (dv * wx.unsqueeze(1)).sum(2); // (N, C, H, W)
        var by = (dv * wy.unsqueeze(1)).sum(2);
        var b1 = (dv * weight.unsqueeze(1)).sum(2);

        var a = (c00.unsqueeze(1) * bx + c01.unsqueeze(1) * by + c02.unsqueeze(1) * b1) * inverseDet;
        var b = (c01.unsqueeze(1) * bx + c11.unsqueeze(1) * by + c12.unsqueeze(1) * b1) * inverseDet;
        var c = (c02.unsqueeze(1) * bx + c12.unsqueeze(1) * by + c22.unsqueeze(1) * b1) * inverseDet;
        return (a, b, c);
    }
}
