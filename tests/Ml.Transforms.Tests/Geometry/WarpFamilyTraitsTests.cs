using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

/// <summary>Each family's table entry against the behaviour the geometry had before the table (and has now).</summary>
[TestClass]
public sealed class WarpFamilyTraitsTests
{
    // The layouts documented on WarpFamily: (parameter count, fewest fit points, projective).
    private static readonly Dictionary<WarpFamily, (int Count, int FitPoints, bool Projective)> Expected = new()
    {
        [WarpFamily.Translation] = (2, 1, false),
        [WarpFamily.Similarity] = (4, 2, false),
        [WarpFamily.Affine] = (6, 3, false),
        [WarpFamily.Homography] = (8, 4, true),
    };

    [TestMethod]
    public void EveryDefinedFamilyHasAnEntry()
    {
        CollectionAssert.AreEquivalent(Expected.Keys.ToArray(), WarpFamilies.All);
        foreach (var family in WarpFamilies.All)
            Assert.AreEqual(family, WarpFamilyTraits.Of(family).Family);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void CountsAndProjectivityAreTheDocumentedOnes(WarpFamily family)
    {
        var traits = WarpFamilyTraits.Of(family);
        Assert.AreEqual(Expected[family].Count, traits.ParameterCount);
        Assert.AreEqual(Expected[family].Count, family.ParameterCount());
        Assert.AreEqual(Expected[family].FitPoints, traits.MinimumFitPoints);
        Assert.AreEqual(Expected[family].Projective, traits.IsProjective);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void TheLinearFormIsToMatrix(WarpFamily family)
    {
        // M_flat = p·S + I_flat (the ONNX graph's form) equals WarpMatrices.ToMatrix; p = 0 gives the identity.
        using var scope = NewDisposeScope();
        int count = family.ParameterCount();
        var s = tensor(WarpFamilyTraits.Of(family).ToMatrixCoefficients().Select(v => (double)v).ToArray()).view(count, 9);
        var p = cat([WarpFamilies.Random(family, 5, seed: 21), zeros(1, count, ScalarType.Float64)], 0);
        var linear = p.matmul(s).Plus(eye(3, dtype: ScalarType.Float64).reshape(9)).view(-1, 3, 3);
        TensorAssert.Close(WarpMatrices.ToMatrix(p, family), linear, 1e-15);
        TensorAssert.Equal(eye(3, dtype: ScalarType.Float64).unsqueeze(0), linear[5..]);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void TheProjectionIsFromMatrixAndLeastSquares(WarpFamily family)
    {
        // Any matrix (not only the family's): m_flat·R + offset equals WarpMatrices.FromMatrix, and no other
        // parameters bring M(p) closer to it in the entries the family holds.
        using var scope = NewDisposeScope();
        var traits = WarpFamilyTraits.Of(family);
        int count = traits.ParameterCount;
        using var g = new Generator(22);
        var m = eye(3, dtype: ScalarType.Float64).Plus(randn(new long[] { 6, 3, 3 }, ScalarType.Float64, generator: g).Times(0.2));
        m[.., 2, 2] = tensor(1.0);
        var r = tensor(traits.FromMatrixCoefficients().Select(v => (double)v).ToArray()).view(9, count);
        var projected = m.reshape(-1, 9).matmul(r).Plus(tensor(traits.ProjectionOffset.ToArray()));
        var p = WarpMatrices.FromMatrix(m, family);
        TensorAssert.Close(p, projected, 1e-15);
        double Distance(Tensor q) => (WarpMatrices.ToMatrix(q, family) - m).square().sum().item<double>();
        using var h = new Generator(23);
        for (int i = 0; i < 5; i++)
            Assert.IsTrue(Distance(p) <= Distance(p.Plus(randn(new long[] { 6, count }, ScalarType.Float64, generator: h).Times(1e-3))));
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void FixedEntriesAreTheMatrixOfTheOffset(WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var traits = WarpFamilyTraits.Of(family);
        var offset = tensor(traits.ProjectionOffset.ToArray()).view(1, -1);
        var m = WarpMatrices.ToMatrix(offset, family).reshape(9)[..8];
        TensorAssert.Equal(tensor(traits.FixedEntries.ToArray()), m);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void TheFewestPointsFitExactly(WarpFamily family)
    {
        // At MinimumFitPoints a random warp of the family is recovered from its own points (a square or
        // over-determined but consistent system), so the count is enough.
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(family, 3, seed: 24, scale: 0.15);
        using var g = new Generator(25);
        var points = rand(new long[] { 3, WarpFamilyTraits.Of(family).MinimumFitPoints, 2 }, ScalarType.Float64, generator: g).Times(2).Minus(1);
        var moved = WarpComposition.TransformPoints(p, points, family);
        TensorAssert.Close(p, WarpFitting.Fit(family, points, moved), 1e-9);
    }
}
