using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

[TestClass]
public sealed class WarpMatricesTests
{
    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void ZeroParametersAreTheIdentity(WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var m = WarpMatrices.ToMatrix(WarpMatrices.Identity(family, 3), family);
        TensorAssert.Equal(eye(3).expand(3, 3, 3), m);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void ParametersRoundTripThroughMatrices(WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(family, 5, seed: 1);
        TensorAssert.Close(p, WarpMatrices.FromMatrix(WarpMatrices.ToMatrix(p, family), family), 1e-12);
    }

    [TestMethod]
    public void LayoutsAreThoseOfTheIcStnPaper()
    {
        using var scope = NewDisposeScope();
        var h = WarpMatrices.ToMatrix(tensor(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }).view(1, 8), WarpFamily.Homography);
        TensorAssert.Equal(tensor(new double[] { 2, 2, 3, 4, 6, 6, 7, 8, 1 }).view(1, 3, 3), h);
        var s = WarpMatrices.ToMatrix(tensor(new double[] { 0.5, 0.25, 3, 4 }).view(1, 4), WarpFamily.Similarity);
        TensorAssert.Equal(tensor(new double[] { 1.5, -0.25, 3, 0.25, 1.5, 4, 0, 0, 1 }).view(1, 3, 3), s);
        var t = WarpMatrices.ToMatrix(tensor(new double[] { 3, 4 }).view(1, 2), WarpFamily.Translation);
        TensorAssert.Equal(tensor(new double[] { 1, 0, 3, 0, 1, 4, 0, 0, 1 }).view(1, 3, 3), t);
    }

    [TestMethod]
    public void ScaledHomographyMatricesGiveTheSameParameters()
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(WarpFamily.Homography, 4, seed: 2);
        var m = WarpMatrices.ToMatrix(p, WarpFamily.Homography).Times(3.5);
        TensorAssert.Close(p, WarpMatrices.FromMatrix(m, WarpFamily.Homography), 1e-12);
    }

    [TestMethod]
    public void WrongParameterShapeNamesTheExpectedShape()
    {
        using var p = zeros(2, 6);
        var e = Assert.ThrowsExactly<ArgumentException>(() => WarpMatrices.ToMatrix(p, WarpFamily.Homography));
        StringAssert.Contains(e.Message, "(N, 8)");
    }
}
