using Ml.Transforms.Devices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Ml.Transforms.Onnx;
using Ml.Transforms.Sampling;
using Onnx;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Onnx;

/// <summary>
/// The exported sampling alone: ORT's GridSample (and the MultiScale pyramid) against TorchSharp's sampler on the SAME
/// grid, including grids far outside the input where the padding modes do all the work.
/// </summary>
[TestClass]
public sealed class OnnxSamplerWriterTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Configurations =>
        from mode in new[] { SamplingMode.Nearest, SamplingMode.Bilinear, SamplingMode.Bicubic, SamplingMode.MultiScale }
        from padding in new[] { PaddingMode.Zeros, PaddingMode.Border, PaddingMode.Reflection }
        from align in new[] { false, true }
        select new object[] { mode, padding, align };

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void SamplingMatchesTorchSharpOnTheSameGrid(SamplingMode mode, PaddingMode padding, bool alignCorners)
    {
        foreach (var extent in new[] { 1.2, 4.0, 64.0 })
        {
            using var scope = NewDisposeScope();
            using var g = new Generator(3);
            var image = rand([2, 3, 32, 32], ScalarType.Float32, generator: g);
            var grid = rand([2, 8, 8, 2], ScalarType.Float32, generator: g).Times(2).Minus(1).Times(extent);
            var expected = GridSampler.GridSample(image, grid, mode, padding, alignCorners);
            var actual = Run(image, grid, mode, padding, alignCorners);
            double difference = OnnxParity.MaxAbs(expected, actual);
            TestContext.WriteLine($"{mode} {padding} align={alignCorners} grid ±{extent}: max|Δ| {difference:E2}");
            // Observed ≤ 2.4e-7 (float32 rounding of the interpolation sums); Nearest picks the same pixels exactly.
            Assert.IsLessThanOrEqualTo(1e-6, difference, $"{mode} {padding} align={alignCorners} ±{extent}");
        }
    }

    [TestMethod]
    public void LinearizedIsBilinearAtInference()
    {
        Assert.AreEqual(SamplingMode.Bilinear, OnnxSamplerWriter.InferenceMode(SamplingMode.Linearized));
        foreach (var mode in new[] { SamplingMode.Nearest, SamplingMode.Bilinear, SamplingMode.Bicubic, SamplingMode.MultiScale })
            Assert.AreEqual(mode, OnnxSamplerWriter.InferenceMode(mode));
    }

    [TestMethod]
    [DataRow(32, 32, 8, 8, 0, 3)]
    [DataRow(32, 32, 16, 16, 0, 2)]
    [DataRow(32, 32, 32, 32, 0, 1)]
    [DataRow(32, 32, 4, 4, 0, 4)]
    [DataRow(32, 32, 8, 8, 2, 2)]
    public void MultiScaleLevelsFollowTheSampler(int hIn, int wIn, int hOut, int wOut, int levels, int expected) =>
        Assert.AreEqual(expected, OnnxSamplerWriter.MultiScaleLevels(new SamplerOptions { Levels = levels }, hIn, wIn, hOut, wOut));

    private static float[] Run(Tensor image, Tensor grid, SamplingMode mode, PaddingMode padding, bool alignCorners)
    {
        long n = image.shape[0], c = image.shape[1], h = image.shape[2], w = image.shape[3], ho = grid.shape[1], wo = grid.shape[2];
        var graph = new OnnxGraphBuilder("sampler", OnnxExportOptions.DefaultOpsetVersion);
        var x = graph.Input("image", TensorProto.Types.DataType.Float, n, c, h, w);
        var g = graph.Input("grid", TensorProto.Types.DataType.Float, n, ho, wo, 2L);
        var y = new OnnxSamplerWriter(graph, padding, alignCorners, new SamplerOptions()).Sample(x, g, mode, h, w, ho, wo);
        graph.Add("Identity", [y], null, graph.ExactName("output"));
        graph.Output("output", TensorProto.Types.DataType.Float, n, c, ho, wo);
        var model = new ModelProto { IrVersion = 8, Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExportOptions.DefaultOpsetVersion });

        using var session = new InferenceSession(model.ToByteArray());
        using var imageValue = OrtValue.CreateTensorValueFromMemory(image.contiguous().data<float>().ToArray(), [n, c, h, w]);
        using var gridValue = OrtValue.CreateTensorValueFromMemory(grid.contiguous().data<float>().ToArray(), [n, ho, wo, 2]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["image", "grid"], [imageValue, gridValue], ["output"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
