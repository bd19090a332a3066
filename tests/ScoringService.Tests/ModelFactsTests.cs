using ScoringService.Imaging;
using ScoringService.Model;
using SkiaSharp;

namespace ScoringService.Tests;

/// <summary>What the service reads off a model without running it, and the rectified image's PNG.</summary>
[TestClass]
public sealed class ModelFactsTests
{
    [TestMethod]
    [DataRow(3 * 16 * 16, 32, 32, 16, 16)]
    [DataRow(3 * 8 * 16, 64, 32, 16, 8)]     // non-square input, 4× downsampling
    [DataRow(3 * 32 * 32, 32, 32, 32, 32)]   // no downsampling
    public void TheRectifiedSizeFollowsTheInputsAspect(int values, int width, int height, int expectedWidth, int expectedHeight) =>
        Assert.AreEqual(new RectifiedSize(expectedWidth, expectedHeight), RectifiedSize.Of(values, width, height));

    [TestMethod]
    public void ARectifiedColumnThatIsNoRgbImageHasNoSize()
    {
        Assert.IsNull(RectifiedSize.Of(3 * 16 * 16 + 1, 32, 32));
        Assert.IsNull(RectifiedSize.Of(0, 32, 32));
    }

    [TestMethod]
    public void TheNetworkIsReadFromTheGraphsSummary()
    {
        var network = NetworkSummary.Parse("SpatialClassifier (InverseCompositionalStn, Homography warp, Linearized sampler, 2x downsampling), inference graph.");
        Assert.AreEqual(new NetworkSummary("InverseCompositionalStn", "Homography", "Linearized", 2), network);
        Assert.AreEqual(new NetworkSummary(null, null, null, null), NetworkSummary.Parse("some other graph"));
    }

    [TestMethod]
    public void TheRectifiedImageIsEncodedPlaneByPlane()
    {
        // 2 × 1: R plane (1, 0), G plane (0, 0.5), B plane (NaN → 0, 2 → clamped to 1).
        byte[] png = PlanarPng.Encode([1f, 0f, 0f, 0.5f, float.NaN, 2f], width: 2, height: 1);
        using var bitmap = SKBitmap.Decode(png);
        Assert.AreEqual(new SKColor(255, 0, 0), bitmap.GetPixel(0, 0));
        Assert.AreEqual(new SKColor(0, 128, 255), bitmap.GetPixel(1, 0));
        Assert.ThrowsExactly<ArgumentException>(() => PlanarPng.Encode([1f, 2f], 1, 1));
    }
}
