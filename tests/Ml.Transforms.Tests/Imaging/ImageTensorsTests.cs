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

    [TestMethod]
    public void AFileThatIsNoImageSaysItCouldNotBeDecodedAndNamesIt()
    {
        // Before: ML.NET's "Invalid path" for a file that exists.
        var folder = Directory.CreateTempSubdirectory("image-tensors-tests-").FullName;
        try
        {
            var text = Path.Combine(folder, "notes.png");
            File.WriteAllText(text, "not an image at all");
            var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageTensors.Load(text));
            StringAssert.Contains(e.Message, $"Image file '{text}' could not be decoded");
            StringAssert.Contains(e.Message, "19 bytes are not a PNG, JPEG");

            var cut = Path.Combine(folder, "cut.png");
            var png = File.ReadAllBytes(TestData.Photo("chelsea.png"));
            File.WriteAllBytes(cut, png[..64]);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ImageTensors.Load(cut)).Message, "could not be decoded");

            var empty = Path.Combine(folder, "empty.png");
            File.WriteAllBytes(empty, []);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ImageTensors.Load(empty)).Message, "it is empty");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
