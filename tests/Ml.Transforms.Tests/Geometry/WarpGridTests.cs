using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

[TestClass]
public sealed class WarpGridTests
{
    [TestMethod]
    public void IdentityParametersGiveExactlyAffineGridsIdentity()
    {
        foreach (var family in WarpFamilies.All)
            foreach (var dtype in Grids.FloatTypes)
                foreach (bool align in Grids.AlignCornersValues)
                {
                    using var scope = NewDisposeScope();
                    var grid = WarpGrid.ToGrid(WarpMatrices.Identity(family, 2, dtype), family, 7, 9, align);
                    var expected = Grids.Affine(2, 7, 9, 1, 0, 0, dtype, align);
                    TensorAssert.Equal(expected, grid, $"{family} {dtype} align={align}");
                }
    }

    [TestMethod]
    public void AffineParametersMatchAffineGrid()
    {
        foreach (bool align in Grids.AlignCornersValues)
        {
            using var scope = NewDisposeScope();
            var p = WarpFamilies.Random(WarpFamily.Affine, 3, seed: 7, scale: 0.3).to(ScalarType.Float32);
            var theta = WarpMatrices.ToMatrix(p, WarpFamily.Affine)[.., ..2, ..];
            var expected = nn.functional.affine_grid(theta, new long[] { 3, 1, 5, 8 }, align);
            TensorAssert.Close(expected, WarpGrid.ToGrid(p, WarpFamily.Affine, 5, 8, align), 1e-6, $"align={align}");
        }
    }

    [TestMethod]
    public void HomographyGridIsThePerspectiveMapOfEveryPoint()
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(WarpFamily.Homography, 2, seed: 8, scale: 0.2);
        var grid = WarpGrid.ToGrid(p, WarpFamily.Homography, 4, 6);
        var identity = Grids.Affine(2, 4, 6, 1, 0, 0, ScalarType.Float64).reshape(2, 24, 2);
        var expected = WarpComposition.TransformPoints(p, identity, WarpFamily.Homography).reshape(2, 4, 6, 2);
        TensorAssert.Close(expected, grid, 1e-12);
    }

    [TestMethod]
    public void GradientsReachTheParameters()
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(WarpFamily.Homography, 2, seed: 9).requires_grad_(true);
        var image = Grids.Image(2, 1, 8, 8, ScalarType.Float64, seed: 10);
        var loss = nn.functional.grid_sample(image, WarpGrid.ToGrid(p, WarpFamily.Homography, 8, 8), align_corners: false).square().sum();
        loss.backward();
        TensorAssert.AllFinite(p.grad!);
        Assert.IsGreaterThan(0.0, TensorAssert.MaxAbs(p.grad!));
        // And they are right: finite differences in float64 (tolerance 1e-6).
        var fd = FiniteDifferences.Gradient(q => nn.functional.grid_sample(image, WarpGrid.ToGrid(q, WarpFamily.Homography, 8, 8), align_corners: false).square().sum(), p);
        TensorAssert.Close(fd, p.grad!.contiguous().view(-1).data<double>().ToArray(), 1e-6);
    }

    [TestMethod]
    public void AHomographySendingAGridPointToInfinityStillGivesAFiniteGrid()
    {
        // w = p6·x + p7·y + 1 = 0 at x = 0.5, a column of the 4×6 grid (alignCorners false): the point maps to infinity.
        foreach (var dtype in Grids.FloatTypes)
        {
            using var scope = NewDisposeScope();
            var p = zeros(new long[] { 1, 8 }, dtype);
            p[0, 6] = tensor(-2.0, dtype);
            p.requires_grad_(true);
            var grid = WarpGrid.ToGrid(p, WarpFamily.Homography, 4, 6);
            TensorAssert.AllFinite(grid, dtype.ToString());
            // That column divides by ±MinDenominator (the sign of w after rounding); the others are the exact perspective map.
            TensorAssert.Close(KeptScalars.Full([4], 0.5 / WarpGrid.MinDenominator, ScalarType.Float64), grid[0, .., 4, 0].abs(), 1e-3 / WarpGrid.MinDenominator, $"column x = 0.5, {dtype}");
            TensorAssert.Close(KeptScalars.Full([4], (-1.0 / 6) / (2.0 / 6 + 1), ScalarType.Float64), grid[0, .., 2, 0], 1e-6, $"column x = -1/6, {dtype}");
            grid.sum().backward();
            TensorAssert.AllFinite(p.grad!, "gradient " + dtype);
        }
    }
}
