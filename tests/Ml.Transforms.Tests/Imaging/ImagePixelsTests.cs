using Microsoft.ML;
using Microsoft.ML.Data;
using Ml.Transforms.Imaging;
using Ml.Transforms.MlNet;
using Ml.Transforms.Tests.Support;
using MlLinearized.TestSupport;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Imaging;

[TestClass]
public sealed class ImagePixelsTests
{
    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    [TestMethod]
    public void EveryByteBecomesTheFloatExtractPixelsMakesOfIt()
    {
        using var scope = NewDisposeScope();
        var bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var floats = ImagePixels.ToFloat(tensor(bytes)).data<float>().ToArray();
        for (int b = 0; b < 256; b++)
        {
            float offset = 0, scale = 1f / 255;   // ExtractPixels: (pixel - offset) * scale
            Assert.AreEqual(BitConverter.SingleToInt32Bits((b - offset) * scale), BitConverter.SingleToInt32Bits(floats[b]), $"byte {b}");
        }
    }

    [TestMethod]
    [DataRow(32, 32)]
    [DataRow(24, 40)]
    [DataRow(64, 64)]
    public void DecodedResizedAndReadAsMlNetDoesBitForBit(int width, int height)
    {
        // PNG (RGB, grayscale, RGBA with transparency), JPEG, BMP of 7–60 px, the photographs and traffic signs.
        var folder = Directory.CreateTempSubdirectory("image-pixels-tests-").FullName;
        try
        {
            var paths = GeneratedImages.Write(folder, 25, seed: 3);
            paths.Add(TestData.Photo("chelsea.png"));
            paths.AddRange(Directory.EnumerateFiles(Path.Combine(TestData.GtsrbRoot, "Train", "14")).Order().Take(2));
            var ml = new MLContext(0);
            var rows = ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));
            var input = PixelInput.Resolve(rows.Schema, "ImagePath", "ImagePath", 3, height, width, "Pixels", "data", acceptPaths: true);
            var expected = input.Preprocessing(ml).Fit(rows).Transform(rows).GetColumn<float[]>("Pixels").ToList();
            var bytes = new byte[input.Size];
            for (int i = 0; i < paths.Count; i++)
            {
                using var image = ImageDecoder.Decode(paths[i]);
                ImagePixels.Extract(image, width, height, bytes);
                using var scope = NewDisposeScope();
                var actual = ImagePixels.ToFloat(tensor(bytes)).data<float>().ToArray();
                CollectionAssert.AreEqual(expected[i], actual, $"{Path.GetFileName(paths[i])} ({image.Width}×{image.Height}) at {width}×{height}");

                // The trainer's path reader: the decoded bitmap read straight, without the copy into an MLImage.
                using var bitmap = ImageDecoder.DecodeBitmap(paths[i]);
                Array.Clear(bytes);
                ImagePixels.Extract(bitmap, width, height, bytes);
                var direct = ImagePixels.ToFloat(tensor(bytes)).data<float>().ToArray();
                CollectionAssert.AreEqual(expected[i], direct, $"{Path.GetFileName(paths[i])} read from its bitmap ({bitmap.ColorType}, {bitmap.AlphaType}) at {width}×{height}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
