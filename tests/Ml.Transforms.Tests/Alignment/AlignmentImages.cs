using Ml.Transforms.Alignment;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Alignment;

/// <summary>A smooth synthetic image and known warps for alignment tests.</summary>
internal static class AlignmentImages
{
    /// <summary>(1, 3, H, W): smooth waves and blobs, values in about [0.1, 0.9].</summary>
    public static Tensor Smooth(long height, long width, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var y = linspace(-1, 1, height, dtype: ScalarType.Float64).view(height, 1);
        var x = linspace(-1, 1, width, dtype: ScalarType.Float64).view(1, width);
        Tensor Blob(double cx, double cy, double s) => exp(-((x - cx).square() + (y - cy).square()) / s);
        var r = 0.5 + 0.2 * sin(3 * x + 2 * y) + 0.2 * Blob(0.3, -0.2, 0.1);
        var g = 0.5 + 0.2 * cos(2 * x - 3 * y) - 0.2 * Blob(-0.3, 0.3, 0.15);
        var b = 0.4 + 0.3 * Blob(-0.4, -0.3, 0.08) + 0.15 * sin(4 * y) * cos(2 * x);
        return stack([r, g, b]).unsqueeze(0).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The homography (1, 8) moving the canonical corners by <paramref name="offsets"/> (4 × (dx, dy)).</summary>
    public static Tensor Homography(double[] offsets, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var corners = WarpFitting.CanonicalCorners(ScalarType.Float64);
        var moved = corners + tensor(offsets, dtype: ScalarType.Float64).view(1, 4, 2);
        return WarpFitting.FitHomography(corners, moved).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>A centred crop [-s, s]² as homography parameters (1, 8).</summary>
    public static Tensor Crop(double scale, ScalarType dtype = ScalarType.Float32) =>
        tensor(new[] { scale - 1, 0, 0, 0, scale - 1, 0, 0, 0 }, dtype: dtype).view(1, 8);

    /// <summary>The image rendered bilinearly through the warps (N, P) at size × size.</summary>
    public static Tensor Render(Tensor image, Tensor warp, WarpFamily family, long size)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var grid = WarpGrid.ToGrid(warp, family, size, size);
        return GridSampler.GridSample(image.expand(warp.shape[0], -1, -1, -1), grid, SamplingMode.Bilinear).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean corner error, output pixels, of an estimated full warp against the true crop-relative perturbation: per row,
    /// the mean over the 4 canonical corners of |M(estimate relative to the crop)·c − M(perturbation)·c|, in pixels of a
    /// square output of side <paramref name="outputSize"/> (normalized distance × outputSize / 2).
    /// </summary>
    public static double[] CornerErrors(Tensor estimate, Tensor crop, Tensor perturbation, int outputSize)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = estimate.shape[0];
        var relative = WarpComposition.Compose(
            WarpComposition.Inverse(crop, WarpFamily.Homography).expand(n, -1), estimate, WarpFamily.Homography);
        var corners = WarpFitting.CanonicalCorners(ScalarType.Float64).expand(n, 4, 2);
        var a = WarpComposition.TransformPoints(relative.detach().to(ScalarType.Float64), corners, WarpFamily.Homography);
        var b = WarpComposition.TransformPoints(perturbation.expand(n, -1).detach().to(ScalarType.Float64), corners, WarpFamily.Homography);
        return ((a - b).square().sum(2).sqrt().mean([1]) * (outputSize / 2.0)).cpu().data<double>().ToArray();
    }
}
