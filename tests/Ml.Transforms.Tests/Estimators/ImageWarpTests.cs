using MlLinearized.TestSupport;
using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

[TestClass]
public sealed class ImageWarpTests
{
    private static ImageWarpOptions Options(WarpFamily family, float[]? parameters = null, string? column = null, int size = 16, int? output = null) => new()
    {
        Transformer = { Warp = family, ImageWidth = size, ImageHeight = size, OutputWidth = output, OutputHeight = output },
        Parameters = parameters,
        ParametersColumnName = column,
    };

    [TestMethod]
    public void TheIdentityWarpReturnsTheInput()
    {
        var ml = new MLContext(0);
        using var images = Grids.Image(3, 3, 16, 16, ScalarType.Float32, seed: 1);
        var data = PixelData.From(ml, images);
        foreach (var family in Enum.GetValues<WarpFamily>())
        {
            var options = Options(family, new float[family.ParameterCount()]);
            var output = ml.Transforms.WarpImages("Warped", "Pixels", options).Fit(data).Transform(data);
            // Bilinear at the pixel centres of the identity grid: exact up to ONNX Runtime's float arithmetic.
            TensorAssert.Close(images, PixelData.Read(output, "Warped", 3, 16, 16), 1e-6, family.ToString());
        }
    }

    [TestMethod]
    public void ATranslationMovesAPatternByTheExpectedPixels()
    {
        var ml = new MLContext(0);
        using var images = Grids.Image(1, 1, 16, 16, ScalarType.Float32, seed: 2);
        // p = (3 px, -2 px) in the normalized frame (2/16 per pixel): output(x, y) = input(x + 3, y - 2).
        var options = Options(WarpFamily.Translation, [3 * 2f / 16, -2 * 2f / 16]);
        options.Transformer.Channels = 1;
        var data = PixelData.From(ml, images);
        var warped = PixelData.Read(ml.Transforms.WarpImages("Warped", "Pixels", options).Fit(data).Transform(data), "Warped", 1, 16, 16);
        TensorAssert.Close(images[.., .., ..14, 3..], warped[.., .., 2.., ..13], 1e-6);
        Assert.AreEqual(0.0, TensorAssert.MaxAbs(warped[.., .., ..2, ..]), 1e-7, "rows read from above the image are zero-padded");
    }

    [TestMethod]
    public void PerRowParametersWarpEachRowByItsOwnWarp()
    {
        var ml = new MLContext(0);
        using var scope = NewDisposeScope();
        var images = Grids.Image(1, 3, 16, 16, ScalarType.Float32, seed: 3).expand(4, -1, -1, -1).contiguous();
        using var g = new Generator(4);
        var warps = WarpPerturbation.Sample(WarpFamily.Homography, 4, PerturbationOptions.Of(0.1), g);
        var options = Options(WarpFamily.Homography, column: "Warp", output: 12);
        options.Transformer.Sampler = SamplingMode.Bilinear;
        var data = PixelData.From(ml, images, warps);
        var warped = PixelData.Read(ml.Transforms.WarpImages("Warped", "Pixels", options).Fit(data).Transform(data), "Warped", 3, 12, 12);
        var expected = GridSampler.GridSample(images, WarpGrid.ToGrid(warps, WarpFamily.Homography, 12, 12));
        TensorAssert.Close(expected, warped, 1e-5);
        Assert.IsGreaterThan(0.01, TensorAssert.MaxAbs(warped[0] - warped[1]), "rows differ");
    }

    [TestMethod]
    public void AnImageInputGivesAnImageOutputOfTheAskedSize()
    {
        var ml = new MLContext(0);
        var rows = ml.Data.LoadFromEnumerable(new[] { new { Path = TestData.Photo("chelsea.png") } });
        var options = Options(WarpFamily.Similarity, [0.5f, 0, 0, 0], size: 64, output: 48);
        var pipeline = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.WarpImages("Warped", "Image", options));
        var output = pipeline.Fit(rows).Transform(rows);
        var type = (ImageDataViewType)output.Schema["Warped"].Type;
        Assert.AreEqual((48, 48), (type.Width, type.Height));
        using var image = output.GetColumn<MLImage>("Warped").Single();
        Assert.AreEqual((48, 48), (image.Width, image.Height));
        Assert.IsTrue(output.Schema.All(c => !c.Name.StartsWith("SpatialTransform", StringComparison.Ordinal)), "internal columns are dropped");
    }

    [TestMethod]
    public void BadSettingsAndInputsSayWhatIsWrong()
    {
        var ml = new MLContext(0);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("W", "Pixels", Options(WarpFamily.Affine, [0f, 0, 0, 0, 0, 0], "Warp")));
        StringAssert.Contains(e.Message, "exactly one of Parameters");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("W", "Pixels", Options(WarpFamily.Affine, [-1f, 0, 0, 0, -1, 0])));
        StringAssert.Contains(e.Message, "singular");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("W", "Pixels", Options(WarpFamily.Translation, [float.NaN, 0])));
        StringAssert.Contains(e.Message, "finite");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("W", "Pixels", Options(WarpFamily.Translation, [0f, 0, 0])));
        StringAssert.Contains(e.Message, "2 parameters");

        var text = ml.Data.LoadFromEnumerable(new[] { new { Pixels = "not an image" } });
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("W", "Pixels", Options(WarpFamily.Translation, [0f, 0])).Fit(text));
        StringAssert.Contains(e.Message, "'Pixels'");
        StringAssert.Contains(e.Message, "expected an image");
        using var images = Grids.Image(2, 3, 8, 8, ScalarType.Float32, seed: 5);
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("W", "Pixels", Options(WarpFamily.Translation, [0f, 0])).Fit(PixelData.From(ml, images)));
        StringAssert.Contains(e.Message, "3×16×16");
    }

    [TestMethod]
    public void PerRowNaNParametersGiveABlackRowAndSingularOnesAFlatRow()
    {
        // Documented fallback (ONNX cannot throw per row): a row with a NaN parameter comes out all zero; a singular warp
        // maps every output pixel to one input point, so its row is flat (one colour per channel).
        var ml = new MLContext(0);
        using var scope = NewDisposeScope();
        var images = Grids.Image(3, 3, 16, 16, ScalarType.Float32, seed: 6);
        var warps = tensor(new float[] { 0, 0, 0, 0, 0, 0, 0, 0, float.NaN, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0 }).view(3, 8);
        var options = Options(WarpFamily.Homography, column: "Warp");
        var data = PixelData.From(ml, images, warps);
        var warped = PixelData.Read(ml.Transforms.WarpImages("Warped", "Pixels", options).Fit(data).Transform(data), "Warped", 3, 16, 16);
        TensorAssert.Close(images[0], warped[0], 1e-6);
        Assert.AreEqual(0.0, TensorAssert.MaxAbs(warped[1]), "NaN row");
        var flat = warped[2].flatten(1);
        TensorAssert.Close(flat.max(1).values, flat.min(1).values, 1e-6, "singular row is flat per channel");
    }

    [TestMethod]
    public void OneColumnNameForTwoOutputsIsRefusedNamingBothOptions()
    {
        // Before: ONNX Runtime's "Duplicate definition of name" deep inside Fit.
        var ml = new MLContext(0);
        var warp = Options(WarpFamily.Translation, [0f, 0f]);
        warp.WarpColumnName = "Warped";
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("Warped", "Pixels", warp));
        StringAssert.Contains(e.Message, "WarpColumnName and outputColumnName are both 'Warped'");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AlignImages("Aligned", "Pixels", warpColumnName: "Aligned"));
        StringAssert.Contains(e.Message, "WarpColumnName and outputColumnName are both 'Aligned'");
        var perRow = Options(WarpFamily.Translation, column: "Warp");
        perRow.WarpColumnName = "Warp";
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("Warped", "Pixels", perRow));
        StringAssert.Contains(e.Message, "ParametersColumnName and WarpColumnName are both 'Warp'");
        var intoInput = Options(WarpFamily.Translation, [0f, 0f]);
        intoInput.WarpColumnName = "Pixels";
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.WarpImages("Warped", "Pixels", intoInput));
        StringAssert.Contains(e.Message, "WarpColumnName and inputColumnName are both 'Pixels'");
    }

    [TestMethod]
    public void APixelVectorIsWarpedInPlaceAndAVectorOfAnotherSizeAtScoringNamesTheColumn()
    {
        var ml = new MLContext(0);
        using var images = Grids.Image(2, 3, 16, 16, ScalarType.Float32, seed: 9);
        var data = PixelData.From(ml, images);
        var model = ml.Transforms.WarpImages("Pixels", parameters: [0.25f, 0f], warp: WarpFamily.Translation, imageWidth: 16, imageHeight: 16).Fit(data);
        var warped = PixelData.Read(model.Transform(data), "Pixels", 3, 16, 16);
        TensorAssert.Close(images[.., .., .., 2..], warped[.., .., .., ..14], 1e-6, "the column now holds the images moved by 2 px");

        using var other = Grids.Image(1, 3, 8, 8, ScalarType.Float32, seed: 10);
        var e = Assert.Throws<Exception>(() => model.Transform(PixelData.From(ml, other)).GetColumn<float[]>("Pixels").ToList());
        StringAssert.Contains(e.Message, "'Pixels'");
        Assert.IsFalse(e.Message.Contains("SpatialTransformPixels", StringComparison.Ordinal), e.Message);
    }
}
