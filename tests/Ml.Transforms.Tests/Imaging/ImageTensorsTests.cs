using MlLinearized.TestSupport;
using Ml.Transforms.Imaging;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Imaging;

[TestClass]
public sealed class ImageTensorsTests
{
    [TestMethod]
    public void LoadsAPhotographAsRgbInUnitRange()
    {
        using var image = ImageTensors.Load(TestData.Photo("chelsea.png"));
        CollectionAssert.AreEqual(new long[] { 1, 3, 300, 451 }, image.shape);
        Assert.AreEqual(ScalarType.Float32, image.dtype);
        Assert.IsTrue(image.min().item<float>() >= 0 && image.max().item<float>() <= 1);
        // The cat is ginger: red dominates blue on average.
        Assert.IsGreaterThan(image[0, 2].mean().item<float>(), image[0, 0].mean().item<float>());
    }

    [TestMethod]
    public void MissingFileNamesThePath()
    {
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ImageTensors.Load("/nonexistent/x.png"));
        StringAssert.Contains(e.Message, "/nonexistent/x.png");
    }
}
