using System.Numerics;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// The CPU form of <see cref="PlaneFit"/>, fused: one pass per pixel over the K samples instead of some forty libtorch
/// element-wise passes over (N, C, K - 1, H, W) arrays (which are memory bound and dominate the cost on a CPU).
/// Same model, same rejection rule, accumulated in double.
/// </summary>
internal static unsafe class PlaneFitKernel
{
    /// <summary>Fits the plane from the K sampled values.</summary>
    /// <param name="values">(N, C, K, H, W) contiguous: sample 0 at p0, samples 1.. at p0 + offsets.</param>
    /// <param name="dx">(N, K - 1, H, W) contiguous offsets in x (normalized units).</param>
    /// <param name="dy">(N, K - 1, H, W) contiguous offsets in y.</param>
    /// <param name="sigmaX">Scale of dx (its standard deviation) used for conditioning.</param>
    /// <param name="sigmaY">Scale of dy.</param>
    /// <returns>a, b (per normalized unit) and c, each (N, C, H, W), in the dtype of <paramref name="values"/>.</returns>
    public static (Tensor A, Tensor B, Tensor C) Solve(Tensor values, Tensor dx, Tensor dy, double sigmaX, double sigmaY) =>
        values.dtype == ScalarType.Float64
            ? Solve<double>(values, dx, dy, sigmaX, sigmaY)
            : Solve<float>(values, dx, dy, sigmaX, sigmaY);

    private static (Tensor, Tensor, Tensor) Solve<T>(Tensor values, Tensor dx, Tensor dy, double sigmaX, double sigmaY)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long n = values.shape[0], c = values.shape[1], k = values.shape[2], h = values.shape[3], w = values.shape[4];
        long m = k - 1, plane = h * w;
        var a = empty(new[] { n, c, h, w }, values.dtype);
        var b = empty(new[] { n, c, h, w }, values.dtype);
        var intercept = empty(new[] { n, c, h, w }, values.dtype);
        var pv = (IntPtr)CpuTensorMemory.Pointer<T>(values);
        var pdx = (IntPtr)CpuTensorMemory.Pointer<T>(dx);
        var pdy = (IntPtr)CpuTensorMemory.Pointer<T>(dy);
        var pa = (IntPtr)CpuTensorMemory.Pointer<T>(a);
        var pb = (IntPtr)CpuTensorMemory.Pointer<T>(b);
        var pc = (IntPtr)CpuTensorMemory.Pointer<T>(intercept);
        double scaleX = 1 / sigmaX, scaleY = 1 / sigmaY;

        CpuParallel.For(0, n * h, row =>
        {
            long item = row / h, y = row % h;
            var u = stackalloc double[(int)m];
            var v = stackalloc double[(int)m];
            var wt = stackalloc double[(int)m];
            T* values0 = (T*)pv + item * c * k * plane;
            T* dx0 = (T*)pdx + item * m * plane;
            T* dy0 = (T*)pdy + item * m * plane;
            for (long x = 0; x < w; x++)
            {
                long p = y * w + x;
                double sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0, s1 = 0;
                for (long j = 0; j < m; j++)
                {
                    double ox = double.CreateTruncating(dx0[j * plane + p]);
                    double oy = double.CreateTruncating(dy0[j * plane + p]);
                    double weight = Math.Abs(ox) <= 1 && Math.Abs(oy) <= 1 ? 1 : 0;
                    double ux = ox * scaleX * weight, uy = oy * scaleY * weight;
                    u[j] = ux;
                    v[j] = uy;
                    wt[j] = weight;
                    sxx += ux * ux;
                    sxy += ux * uy;
                    syy += uy * uy;
                    sx += ux;
                    sy += uy;
                    s1 += weight;
                }
                double c00 = syy * s1 - sy * sy, c01 = sx * sy - sxy * s1, c02 = sxy * sy - syy * sx;
                double c11 = sxx * s1 - sx * sx, c12 = sxy * sx - sxx * sy, c22 = sxx * syy - sxy * sxy;
                double det = sxx * c00 + sxy * c01 + sx * c02;
                double scale = sxx * syy * s1;
                double inverse = scale > 0 && det > scale * PlaneFit.MinConditioning ? 1 / det : 0;

                for (long ch = 0; ch < c; ch++)
                {
                    T* samples = values0 + ch * k * plane + p;
                    double center = double.CreateTruncating(samples[0]);
                    double bx = 0, by = 0, b1 = 0;
                    for (long j = 0; j < m; j++)
                    {
                        double dv = double.CreateTruncating(samples[(j + 1) * plane]) - center;
                        bx += u[j] * dv;
                        by += v[j] * dv;
                        b1 += wt[j] * dv;
                    }
                    long o = (item * c + ch) * plane + p;
                    ((T*)pa)[o] = T.CreateTruncating((c00 * bx + c01 * by + c02 * b1) * inverse * scaleX);
                    ((T*)pb)[o] = T.CreateTruncating((c01 * bx + c11 * by + c12 * b1) * inverse * scaleY);
                    ((T*)pc)[o] = T.CreateTruncating((c02 * bx + c12 * by + c22 * b1) * inverse);
                }
            }
        });
        return (a, b, intercept);
    }
}
