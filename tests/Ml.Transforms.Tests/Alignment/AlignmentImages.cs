using Ml.Transforms.Devices;
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
        // exp(-((x - cx)² + (y - cy)²) / s)
        Tensor Blob(double cx, double cy, double s) => exp(x.Minus(cx).square().Plus(y.Minus(cy).square()).neg().Over(s));
        // r = 0.5 + 0.2 sin(3x + 2y) + 0.2 blob, g = 0.5 + 0.2 cos(2x - 3y) - 0.2 blob, b = 0.4 + 0.3 blob + 0.15 sin(4y) cos(2x)
        var r = sin(x.Times(3).Plus(y.Times(2))).Times(0.2).Plus(0.5).Plus(Blob(0.3, -0.2, 0.1).Times(0.2));
        var g = cos(x.Times(2) - y.Times(3)).Times(0.2).Plus(0.5) - Blob(-0.3, 0.3, 0.15).Times(0.2);
        var b = Blob(-0.4, -0.3, 0.08).Times(0.3).Plus(0.4).Plus(sin(y.Times(4)).Times(0.15) * cos(x.Times(2)));
        return stack([r, g, b]).unsqueeze(0).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The homography (1, 8) moving the canonical corners by <paramref name="offsets"/> (4 × (dx, dy)).</summary>
    public static Tensor Homography(double[] offsets, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var corners = WarpFitting.CanonicalCorners(ScalarType.Float64);
        var moved = corners.Plus(tensor(offsets, dtype: ScalarType.Float64).view(1, 4, 2));
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
        return (a - b).square().sum(2).sqrt().mean([1]).Times(outputSize / 2.0).cpu().data<double>().ToArray();
    }
}
