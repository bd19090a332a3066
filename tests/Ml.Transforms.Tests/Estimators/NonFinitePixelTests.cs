using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.Tests.Support;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

/// <summary>
/// A pixel-vector row with a NaN or infinite pixel through a fitted WarpImages or AlignImages transform: the row comes out all NaN (its warp
/// too), never as finite values computed from a NaN grid, and the other rows come out as they would alone.
/// </summary>
[TestClass]
public sealed class NonFinitePixelTests
{
    private const int Size = 16;

    private static (IDataView Clean, IDataView Dirty) Data(MLContext ml, int rows, int seed)
    {
        var images = Grids.Image(rows, 3, Size, Size, ScalarType.Float32, seed: seed);
        var dirty = images.clone();
        dirty[1, 0, 3, 4] = tensor(float.NaN);
        dirty[2, 2, 15, 15] = tensor(float.PositiveInfinity);
        return (PixelData.From(ml, images), PixelData.From(ml, dirty));
    }

    private static void AssertMarked(IDataView clean, IDataView dirty, ITransformer model, string? warpColumn)
    {
        var expected = model.Transform(clean).GetColumn<float[]>("Out").ToList();
        var actual = model.Transform(dirty).GetColumn<float[]>("Out").ToList();
        Assert.IsTrue(actual[1].All(float.IsNaN) && actual[2].All(float.IsNaN), "NaN and +Inf rows come out all NaN");
        for (int row = 0; row < expected.Count; row++)
        {
            if (row is 1 or 2) continue;
            Assert.IsTrue(expected[row].All(float.IsFinite), $"row {row} is finite");
            CollectionAssert.AreEqual(expected[row], actual[row], $"row {row} is unaffected");
        }
        if (warpColumn is not null)
        {
            var warps = model.Transform(dirty).GetColumn<float[]>(warpColumn).ToList();
            Assert.IsTrue(warps[1].All(float.IsNaN) && warps[2].All(float.IsNaN), "their warps are NaN");
            Assert.IsTrue(warps[0].All(float.IsFinite), "a clean row's warp is finite");
        }
    }

    [TestMethod]
    public void AFixedWarpMarksRowsWithANonFinitePixel()
    {
        var ml = new MLContext(0);
        var (clean, dirty) = Data(ml, 4, seed: 1);
        var options = new ImageWarpOptions
        {
            Transformer = { Warp = WarpFamily.Similarity, ImageWidth = Size, ImageHeight = Size }, Parameters = [0.1f, 0.05f, 0.02f, -0.03f],
        };
        AssertMarked(clean, dirty, ml.Transforms.WarpImages("Out", "Pixels", options).Fit(clean), warpColumn: null);
    }

    [TestMethod]
    public void ALearnedAlignmentMarksRowsWithANonFinitePixelAndTheirWarps()
    {
        // Without the check, the NaN pixel reaches the predictor, its warp is NaN, and ONNX Runtime's GridSample returns
        // unspecified finite values for NaN coordinates (measured with ONNX Runtime 1.31.1).
        var ml = new MLContext(0);
        var (clean, dirty) = Data(ml, 8, seed: 2);
        var options = new LearnedAlignmentOptions
        {
            Target = AlignmentTarget.Mean,
            Transformer = { Warp = WarpFamily.Similarity, ImageWidth = Size, ImageHeight = Size },
            Training = { Epochs = 1, BatchSize = 8, Device = Ml.Transforms.Devices.ComputeDevice.Cpu },
            WarpColumnName = "Warp",
        };
        AssertMarked(clean, dirty, ml.Transforms.AlignImages("Out", "Pixels", options).Fit(clean), warpColumn: "Warp");
    }
}
