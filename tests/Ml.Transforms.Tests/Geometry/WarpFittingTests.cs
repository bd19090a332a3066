using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

[TestClass]
public sealed class WarpFittingTests
{
    [TestMethod]
    public void DltRecoversAKnownHomographyFromFourPoints()
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(WarpFamily.Homography, 8, seed: 11, scale: 0.15);
        var corners = WarpFitting.CanonicalCorners(ScalarType.Float64).expand(8, 4, 2);
        var moved = WarpComposition.TransformPoints(p, corners, WarpFamily.Homography);
        TensorAssert.Close(p, WarpFitting.FitHomography(corners, moved), 1e-10);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void LeastSquaresRecoversAWarpOfTheFamilyFromManyPoints(WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(family, 4, seed: 12, scale: 0.15);
        using var g = new Generator(13);
        var points = rand(new long[] { 4, 10, 2 }, ScalarType.Float64, generator: g).Times(2).Minus(1);
        var moved = WarpComposition.TransformPoints(p, points, family);
        TensorAssert.Close(p, WarpFitting.Fit(family, points, moved), 1e-10);
    }

    [TestMethod]
    public void TranslationFitIsTheMeanDisplacement()
    {
        using var scope = NewDisposeScope();
        var source = tensor(new double[] { 0, 0, 1, 0 }).view(1, 2, 2);
        var target = tensor(new double[] { 0.1, 0.2, 1.3, 0.4 }).view(1, 2, 2);
        TensorAssert.Close(tensor(new double[] { 0.2, 0.3 }).view(1, 2), WarpFitting.Fit(WarpFamily.Translation, source, target), 1e-15);
    }

    [TestMethod]
    public void TooFewPointsAreRejectedWithTheMinimum()
    {
        using var points = zeros(1, 3, 2);
        var e = Assert.ThrowsExactly<ArgumentException>(() => WarpFitting.Fit(WarpFamily.Homography, points, points));
        StringAssert.Contains(e.Message, "at least 4");
    }
}
