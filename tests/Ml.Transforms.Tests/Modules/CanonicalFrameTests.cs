using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Modules;

/// <summary><see cref="SpatialTransformerOptions.FrameScale"/>: the canonical frame as the central part of the input.</summary>
[TestClass]
public sealed class CanonicalFrameTests
{
    private static SpatialTransformerOptions Frame(double scale, int downsampling = 4) => new()
    {
        ImageHeight = 50, ImageWidth = 50, FrameScale = scale, OutputHeight = 36 / downsampling, OutputWidth = 36 / downsampling,
        Sampler = SamplingMode.Bilinear,
    };

    [TestMethod]
    public void TheGridIsTheWarpedFrameScaledIntoTheImage()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new float[] { 0.1f, -0.05f, 0.02f, 0.2f, 0.1f, -0.1f, 0.05f, 0.03f }).reshape(1, 8);
        var whole = WarpGrid.ToGrid(p, WarpFamily.Homography, 9, 9);
        var framed = WarpGrid.ToGrid(p, WarpFamily.Homography, 9, 9, frameScale: 0.72);
        Assert.AreEqual(0.0, (framed - whole.Times(0.72)).abs().max().item<float>(), 1e-6);
        // The identity frame's outermost pixel centres: ±(1 − 1/9) of the frame, i.e. ±0.72·8/9 of the image.
        var identity = WarpGrid.ToGrid(zeros(1, 8), WarpFamily.Homography, 9, 9, frameScale: 0.72);
        Assert.AreEqual(0.72 * 8 / 9, identity[0, 8, 8, 0].item<float>(), 1e-6);
    }

    [TestMethod]
    public void TheIdentityWarpShowsTheCentralCropAndAZoomOutShowsTheSurroundings()
    {
        using var scope = NewDisposeScope();
        // An image that is 1 inside its central 36×36 and 0.5 around it.
        var image = KeptScalars.Full([1, 3, 50, 50], 0.5);
        image[.., .., 7..43, 7..43] = 1f;
        using var stn = new SpatialTransformer(Frame(0.72));
        stn.eval();
        var options = stn.Options;
        Assert.AreEqual(36, options.PredictorHeightInUse, "the STN predictor sees the frame at the input's resolution");
        Assert.AreEqual(36, stn.Predictor.ImageHeight);
        using (no_grad())
        {
            var identity = WarpGrid.ToGrid(zeros(1, 8), WarpFamily.Homography, 9, 9, frameScale: 0.72);
            var crop = nn.functional.grid_sample(image, identity, align_corners: false);
            Assert.AreEqual(1.0, crop.min().item<float>(), 1e-6, "the identity shows only the frame");
            // Zoomed out to 1.25 times the frame (0.9 of the image): the outer ring shows the image around the frame, not padding (0).
            var zoomOut = WarpGrid.ToGrid(tensor(new float[] { 0.25f, 0, 0, 0, 0.25f, 0, 0, 0 }).reshape(1, 8), WarpFamily.Homography, 9, 9, frameScale: 0.72);
            var wide = nn.functional.grid_sample(image, zoomOut, align_corners: false);
            Assert.AreEqual(0.5, wide[0, 0, 0, 0].item<float>(), 1e-6);
        }
        var result = stn.Transform(image);
        CollectionAssert.AreEqual(new long[] { 1, 3, 9, 9 }, result.Rectified.shape);
    }

    [TestMethod]
    public void AFrameOutsideItsRangeIsRefused()
    {
        foreach (var scale in new[] { 0.0, -0.5, 4.5, double.NaN })
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Frame(scale).Validate()).Message, "FrameScale");
    }
}
