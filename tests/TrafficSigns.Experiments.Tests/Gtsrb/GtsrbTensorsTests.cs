using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

[TestClass]
public sealed class GtsrbTensorsTests
{
    [TestMethod]
    public void DecodesImagesAtTheirOwnSizeExactly()
    {
        var samples = OfficialLayoutSubset.FirstOfEachClass(5); // 215 images

        using var images = GtsrbTensors.ToImageTensor(samples, 32, 32);

        CollectionAssert.AreEqual(new long[] { samples.Count, 3, 32, 32 }, images.shape);
        Assert.AreEqual(ScalarType.Float32, images.dtype);
        Assert.AreEqual(TorchSharp.DeviceType.CPU, images.device_type);
        Assert.IsGreaterThanOrEqualTo(0f, images.min().item<float>());
        Assert.IsLessThanOrEqualTo(1f, images.max().item<float>());
        // Sample 7, pixel (row 5, column 9): the PPM's bytes divided by 255, one plane per channel.
        var ppm = PpmImage.Read(samples[7].ImagePath);
        for (int c = 0; c < 3; c++)
            Assert.AreEqual(ppm.Rgb[3 * (5 * 32 + 9) + c] / 255f, images[7, c, 5, 9].item<float>(), $"channel {c}");
    }

    [TestMethod]
    public void ResizesBuiltInImagesKeepingTheirMeanColour()
    {
        var samples = OfficialLayoutSubset.FirstOfEachClass(2);
        using var scope = NewDisposeScope();

        var original = GtsrbTensors.ToImageTensor(samples, 32, 32);
        var smaller = GtsrbTensors.ToImageTensor(samples, 16, 24);

        CollectionAssert.AreEqual(new long[] { samples.Count, 3, 16, 24 }, smaller.shape);
        Assert.IsGreaterThanOrEqualTo(0f, smaller.min().item<float>());
        Assert.IsLessThanOrEqualTo(1f, smaller.max().item<float>());
        // Antialiased (or plain) bilinear keeps each image's mean colour close.
        double meanDiff = (original.mean(new long[] { 2, 3 }) - smaller.mean(new long[] { 2, 3 })).abs().max().item<float>();
        Assert.IsLessThan(0.03, meanDiff);
    }

    [TestMethod]
    public void UpsamplesBilinearlyWithHalfPixelCentres()
    {
        using var temp = new TempDirectory();
        // 2×1 image, red channel 0 then 255: upsampled to 4 columns with align_corners false → 0, 1/4, 3/4, 1.
        var path = temp.Write("00000_00000.ppm", Ppm.P6(2, 1, new byte[] { 0, 10, 20, 255, 10, 20 }));
        var solid = temp.Write("00000_00001.ppm", Ppm.P6(3, 5, Ppm.Solid(3, 5, 200, 100, 50)));
        var samples = new[] { new GtsrbSample(path, 3, 0, 0), new GtsrbSample(solid, 4, 0, 1) };

        using var scope = NewDisposeScope();
        var images = GtsrbTensors.ToImageTensor(samples, 2, 4);

        CollectionAssert.AreEqual(new long[] { 2, 3, 2, 4 }, images.shape);
        var red = images[0, 0, 1].data<float>().ToArray();
        float[] expected = { 0f, 0.25f, 0.75f, 1f };
        for (int x = 0; x < 4; x++)
            Assert.AreEqual(expected[x], red[x], 1e-6f, $"column {x}");
        Assert.AreEqual(10 / 255f, images[0, 1].min().item<float>(), 1e-6f);
        Assert.AreEqual(10 / 255f, images[0, 1].max().item<float>(), 1e-6f);
        // A solid colour stays that colour, downsampled in one direction and upsampled in the other.
        Assert.AreEqual(200 / 255f, images[1, 0].min().item<float>(), 1e-6f);
        Assert.AreEqual(200 / 255f, images[1, 0].max().item<float>(), 1e-6f);
        Assert.AreEqual(50 / 255f, images[1, 2].mean().item<float>(), 1e-6f);
    }

    [TestMethod]
    public void DownsamplingIsAntialiased()
    {
        using var temp = new TempDirectory();
        // Columns alternate black/white; shrinking 6 → 2 columns. Plain bilinear (half-pixel centres at source
        // columns 1 and 4) would give 1 and 0; the antialiased triangle filter averages the stripes to 0.5.
        var rgb = new byte[6 * 3];
        for (int x = 1; x < 6; x += 2)
            rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = 255;
        var path = temp.Write("00000_00000.ppm", Ppm.P6(6, 1, rgb));

        using var scope = NewDisposeScope();
        var images = GtsrbTensors.ToImageTensor(new[] { new GtsrbSample(path, 0, 0, 0) }, 1, 2);

        var values = images.flatten().data<float>().ToArray();
        foreach (var v in values)
            Assert.AreEqual(0.5f, v, 1e-5f);
    }

    [TestMethod]
    public void LabelsAreTheClassIds()
    {
        var samples = OfficialLayoutSubset.FirstOfEachClass(3);

        using var labels = GtsrbTensors.ToLabelTensor(samples);

        Assert.AreEqual(ScalarType.Int64, labels.dtype);
        CollectionAssert.AreEqual(new long[] { samples.Count }, labels.shape);
        CollectionAssert.AreEqual(samples.Select(s => (long)s.ClassId).ToArray(), labels.data<long>().ToArray());
    }

    [TestMethod]
    public void EmptyListGivesEmptyTensors()
    {
        using var images = GtsrbTensors.ToImageTensor(Array.Empty<GtsrbSample>(), 8, 8);
        using var labels = GtsrbTensors.ToLabelTensor(Array.Empty<GtsrbSample>());

        CollectionAssert.AreEqual(new long[] { 0, 3, 8, 8 }, images.shape);
        CollectionAssert.AreEqual(new long[] { 0 }, labels.shape);
    }

    [TestMethod]
    public void BadImagesSurfaceTheDecoderException()
    {
        using var temp = new TempDirectory();
        var good = temp.Write("00000_00000.ppm", Ppm.P6(1, 1, new byte[3]));
        var missing = Path.Combine(temp.Path, "00000_00001.ppm");

        var e = Assert.ThrowsExactly<FileNotFoundException>(() =>
            GtsrbTensors.ToImageTensor(new[] { new GtsrbSample(good, 0, 0, 0), new GtsrbSample(missing, 0, 0, 1) }, 1, 1));
        StringAssert.Contains(e.Message, missing);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GtsrbTensors.ToImageTensor(Array.Empty<GtsrbSample>(), 0, 8));
    }
}
