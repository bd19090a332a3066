namespace Ml.Transforms.Modules;

/// <summary>
/// Kernel sizes for two stacked convolutions on small (downsampled) images. The paper's k×k VALID convolutions (k = 7)
/// are kept while they leave at least <c>minimumOutput</c> pixels (size ≥ 2(k − 1) + minimumOutput: 32×32 and 16×16
/// with the defaults). Below that — 8×8 and 4×4 at 4× and 8× downsampling of 32×32 — the kernels shrink to 3×3 with
/// zero padding 1 (size preserved), so the small image keeps all its pixels instead of collapsing to 1×1.
/// </summary>
internal static class ConvolutionSizing
{
    /// <summary>Kernel and padding for images of <paramref name="size"/> pixels (the smaller side).</summary>
    /// <returns>(kernel, padding): (k, 0) when the VALID k×k pair fits, else (3, 1) (or (1, 0) for the largest k below 3).</returns>
    public static (int Kernel, int Padding) For(int size, int maximumKernelSize, int minimumOutput)
    {
        if (size - 2 * (maximumKernelSize - 1) >= minimumOutput)
            return (maximumKernelSize, 0);
        return maximumKernelSize >= 3 ? (3, 1) : (maximumKernelSize, (maximumKernelSize - 1) / 2);
    }

    /// <summary>Spatial size after two convolutions of the given kernel and padding.</summary>
    public static int AfterTwoConvolutions(int size, int kernel, int padding) => size - 2 * (kernel - 1 - 2 * padding);
}
