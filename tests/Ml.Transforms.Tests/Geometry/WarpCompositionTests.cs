using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

[TestClass]
public sealed class WarpCompositionTests
{
    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void ComposeIsTheMatrixProduct(WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(family, 6, seed: 3);
        var q = WarpFamilies.Random(family, 6, seed: 4);
        var expected = WarpMatrices.ToMatrix(p, family).matmul(WarpMatrices.ToMatrix(q, family));
        expected /= expected[.., 2, 2].view(-1, 1, 1);
        TensorAssert.Close(expected, WarpMatrices.ToMatrix(WarpComposition.Compose(p, q, family), family), 1e-12);
    }

    [TestMethod]
    [DynamicData(nameof(WarpFamilies.Data), typeof(WarpFamilies))]
    public void ComposingWithTheInverseGivesTheIdentity(WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var p = WarpFamilies.Random(family, 6, seed: 5);
        var inverse = WarpComposition.Inverse(p, family);
        TensorAssert.Close(zeros_like(p), WarpComposition.Compose(p, inverse, family), 1e-12);
        TensorAssert.Close(zeros_like(p), WarpComposition.Compose(inverse, p, family), 1e-12);
    }

    [TestMethod]
    public void TransformPointsAppliesThePerspectiveDivide()
    {
        using var scope = NewDisposeScope();
        // [[1, 0, 0.5], [0, 1, 0], [0.5, 0, 1]] maps (1, 1) to (1.5, 1) / 1.5.
        var p = tensor(new double[] { 0, 0, 0.5, 0, 0, 0, 0.5, 0 }).view(1, 8);
        var mapped = WarpComposition.TransformPoints(p, tensor(new double[] { 1, 1 }).view(1, 1, 2), WarpFamily.Homography);
        TensorAssert.Close(tensor(new double[] { 1.0, 1 / 1.5 }).view(1, 1, 2), mapped, 1e-15);
    }

    [TestMethod]
    public void SamplingWithACompositionEqualsSamplingTwice()
    {
        // Pure translations by whole pixels keep bilinear sampling exact, so p ∘ q must read what q then p read.
        using var scope = NewDisposeScope();
        var image = Grids.Image(1, 1, 16, 16, ScalarType.Float64, seed: 6);
        var p = tensor(new double[] { 2.0 / 8, 0 }).view(1, 2);  // 2 px right
        var q = tensor(new double[] { 0, -3.0 / 8 }).view(1, 2); // 3 px up
        Tensor Warp(Tensor img, Tensor w) => nn.functional.grid_sample(img, WarpGrid.ToGrid(w, WarpFamily.Translation, 16, 16), align_corners: false);
        var twice = Warp(Warp(image, p), q);
        var once = Warp(image, WarpComposition.Compose(p, q, WarpFamily.Translation));
        TensorAssert.Close(twice[.., .., 3.., ..14], once[.., .., 3.., ..14], 1e-12);
    }
}
