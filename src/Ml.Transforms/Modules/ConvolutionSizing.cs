namespace Ml.Transforms.Modules;

/// <summary>
/// Kernel sizes for two stacked VALID convolutions on small (downsampled) images. The paper's 7×7 kernels need at least
/// 13×13 pixels (plus the pooling); below that the kernel shrinks to the largest size that still leaves
/// <c>minimumOutput</c> pixels: 32×32 and 16×16 keep 7×7; 8×8 gets 4×4; 4×4 gets 2×2 (classifier, pooling 2).
/// </summary>
public static class ConvolutionSizing
{
    /// <summary>Largest k ≤ <paramref name="maximumKernel"/> with size − 2(k − 1) ≥ <paramref name="minimumOutput"/>, at least 1.</summary>
    public static int KernelFor(int size, int maximumKernel, int minimumOutput)
    {
        int fits = (size - minimumOutput) / 2 + 1;
        return Math.Max(1, Math.Min(maximumKernel, fits));
    }

    /// <summary>Spatial size after two VALID convolutions of kernel k.</summary>
    public static int AfterTwoConvolutions(int size, int kernel) => size - 2 * (kernel - 1);
}
