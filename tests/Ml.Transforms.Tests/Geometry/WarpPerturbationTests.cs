using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

[TestClass]
public sealed class WarpPerturbationTests
{
    [TestMethod]
    public void CornerDisplacementsHaveTheRequestedStatistics()
    {
        // Each corner coordinate moves by N(0, σc²) + N(0, σt²): mean 0, std sqrt(σc² + σt²) = 0.354 for σ = 0.25.
        // 20 000 draws → standard error of the mean 0.0025, of the std ≈ 0.0018; tolerances 0.01.
        using var scope = NewDisposeScope();
        using var g = new Generator(14);
        var p = WarpPerturbation.Sample(WarpFamily.Homography, 5000, generator: g, dtype: ScalarType.Float64);
        var corners = WarpFitting.CanonicalCorners(ScalarType.Float64).expand(5000, 4, 2);
        var moves = WarpComposition.TransformPoints(p, corners, WarpFamily.Homography) - corners;
        Assert.AreEqual(0.0, moves.mean().item<double>(), 0.01);
        Assert.AreEqual(Math.Sqrt(2) * 0.25, moves.std().item<double>(), 0.01);
        // The shared translation correlates the corners: cov = σt² = 0.0625 between corner 0 and corner 2 x-moves.
        var a = moves[.., 0, 0];
        var b = moves[.., 2, 0];
        Assert.AreEqual(0.0625, ((a - a.mean()) * (b - b.mean())).mean().item<double>(), 0.01);
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameWarps()
    {
        using var scope = NewDisposeScope();
        using var g1 = new Generator(15);
        using var g2 = new Generator(15);
        TensorAssert.Equal(WarpPerturbation.Sample(WarpFamily.Affine, 7, generator: g1), WarpPerturbation.Sample(WarpFamily.Affine, 7, generator: g2));
    }

    [TestMethod]
    public void ZeroStrengthGivesTheIdentity()
    {
        using var scope = NewDisposeScope();
        var p = WarpPerturbation.Sample(WarpFamily.Similarity, 3, new PerturbationOptions { CornerStrength = 0, TranslationStrength = 0 });
        TensorAssert.Close(zeros(3, 4), p, 1e-7);
    }

    [TestMethod]
    public void TranslationOnlyPerturbationIsExactForSmallerFamilies()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(16);
        var options = new PerturbationOptions { CornerStrength = 0, TranslationStrength = 0.2 };
        var p = WarpPerturbation.Sample(WarpFamily.Translation, 4, options, g, ScalarType.Float64);
        using var g2 = new Generator(16);
        var h = WarpPerturbation.Sample(WarpFamily.Homography, 4, options, g2, ScalarType.Float64);
        TensorAssert.Close(h.index_select(1, tensor(new long[] { 2, 5 })), p, 1e-12);
    }
}
