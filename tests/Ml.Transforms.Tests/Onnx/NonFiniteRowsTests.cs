using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Onnx;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Onnx;

/// <summary>
/// Rows with a NaN or infinite pixel in the exported graphs: ONNX cannot throw per row, so such a row comes out marked
/// (NaN scores and the label "", NaN warps) and the other rows of the batch come out exactly as without it.
/// </summary>
[TestClass]
public sealed class NonFiniteRowsTests
{
    private static readonly float[] BadValues = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    [TestMethod]
    [DataRow(SpatialArchitecture.None)]
    [DataRow(SpatialArchitecture.Stn)]
    [DataRow(SpatialArchitecture.InverseCompositionalStn)]
    public void AClassifierMarksARowWithANonFinitePixelAndLeavesTheOthersAlone(SpatialArchitecture architecture)
    {
        using var scope = NewDisposeScope();
        var options = OnnxParity.Options(architecture);
        using var model = OnnxParity.Build(options);
        var export = new OnnxExportOptions { IncludeWarp = true, IncludeRectified = true };
        var bytes = SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5), export);
        var images = OnnxParity.Images(options);
        var clean = OnnxParity.Run(bytes, images);

        for (int b = 0; b < BadValues.Length; b++)
        {
            var dirty = images.clone();
            dirty[1, 2, 5, 7] = tensor(BadValues[b]);
            var outputs = OnnxParity.Run(bytes, dirty);
            var scores = (float[])outputs[SpatialClassifierOnnxExporter.ScoreName];
            var labels = (string[])outputs[SpatialClassifierOnnxExporter.PredictedLabelName];
            var cleanScores = (float[])clean[SpatialClassifierOnnxExporter.ScoreName];
            for (int row = 0; row < OnnxParity.Batch; row++)
            {
                var rowScores = scores.AsSpan(row * 5, 5).ToArray();
                if (row == 1)
                {
                    Assert.IsTrue(rowScores.All(float.IsNaN), $"{BadValues[b]}: the bad row's scores are NaN");
                    Assert.AreEqual(SpatialClassifierOnnxExporter.UnscoredLabel, labels[row], $"{BadValues[b]}: the bad row's label");
                    Assert.IsTrue(RowOf(outputs, SpatialClassifierOnnxExporter.WarpName, row).All(float.IsNaN), "warp of the bad row");
                    Assert.IsTrue(RowOf(outputs, SpatialClassifierOnnxExporter.RectifiedName, row).All(float.IsNaN), "rectified of the bad row");
                }
                else
                {
                    CollectionAssert.AreEqual(cleanScores.AsSpan(row * 5, 5).ToArray(), rowScores, $"{BadValues[b]}: row {row} is unaffected");
                    Assert.AreEqual(((string[])clean[SpatialClassifierOnnxExporter.PredictedLabelName])[row], labels[row]);
                    StringAssert.StartsWith(labels[row], "class-");
                }
            }
        }
    }

    [TestMethod]
    public void ScoresThatComeOutNonFiniteFromFinitePixelsAreMarkedToo()
    {
        // An infinite logit (here a classifier bias of +Inf) makes softmax NaN: the rows get the label "", not a class.
        using var scope = NewDisposeScope();
        var options = OnnxParity.Options(SpatialArchitecture.None);
        using var model = OnnxParity.Build(options);
        using (no_grad())
            model.Classifier.named_parameters().Single(p => p.name == "fc.bias").parameter[2] = tensor(float.PositiveInfinity);
        var outputs = OnnxParity.Run(SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5)), OnnxParity.Images(options));
        Assert.IsTrue(((float[])outputs[SpatialClassifierOnnxExporter.ScoreName]).All(float.IsNaN), "every score");
        CollectionAssert.AreEqual(Enumerable.Repeat("", OnnxParity.Batch).ToArray(), (string[])outputs[SpatialClassifierOnnxExporter.PredictedLabelName]);
    }

    [TestMethod]
    public void AnEmptyClassLabelIsRefusedBecauseItMarksUnscoredRows()
    {
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.None, classes: 2));
        var e = Assert.ThrowsExactly<ArgumentException>(() => SpatialClassifierOnnxExporter.Export(model, ["a", ""]));
        StringAssert.Contains(e.Message, "empty");
    }

    [TestMethod]
    [DataRow(OnnxExportOptions.DefaultOpsetVersion)]
    [DataRow(18)]
    [DataRow(OnnxExportOptions.MaximumOpsetVersion)]
    public void AWarpGraphGivesANaNRowForANonFinitePixelAndABlackRowForANonFiniteParameter(int opset)
    {
        using var scope = NewDisposeScope();
        var t = new SpatialTransformerOptions { Warp = WarpFamily.Translation, ImageHeight = 8, ImageWidth = 8, Channels = 1, Sampler = SamplingMode.Bilinear };
        var bytes = SpatialTransformOnnxExporter.ExportWarp(t, fixedParameters: null, includeWarp: false, clampToUnitRange: false, opset);
        using var g = new Generator(3);
        var pixels = rand([4, 64], ScalarType.Float32, generator: g);
        pixels[1, 10] = tensor(float.NaN);
        pixels[2, 63] = tensor(float.PositiveInfinity);
        var parameters = zeros(4, 2);
        parameters[3, 0] = tensor(float.NegativeInfinity);
        var warped = RunWarp(bytes, pixels, parameters);

        var clean = pixels[0].data<float>().ToArray();
        Assert.AreEqual(0, clean.Zip(warped[0], (a, b) => Math.Abs(a - b)).Max(), 1e-6, "the identity warp of a clean row is the row");
        Assert.IsTrue(warped[1].All(float.IsNaN), "NaN pixel → NaN row");
        Assert.IsTrue(warped[2].All(float.IsNaN), "+Inf pixel → NaN row");
        Assert.IsTrue(warped[3].All(v => v == 0), "−Inf parameter → black row");
    }

    private static float[] RowOf(Dictionary<string, object> outputs, string name, int row)
    {
        var values = (float[])outputs[name];
        int width = values.Length / OnnxParity.Batch;
        return values.AsSpan(row * width, width).ToArray();
    }

    private static float[][] RunWarp(byte[] onnx, Tensor pixels, Tensor parameters)
    {
        long n = pixels.shape[0];
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(pixels.contiguous().data<float>().ToArray(), [n, pixels.shape[1]]);
        using var warp = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(parameters.contiguous().data<float>().ToArray(), [n, parameters.shape[1]]);
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var results = session.Run(runOptions, [SpatialTransformOnnxExporter.InputName, SpatialTransformOnnxExporter.ParametersName], [input, warp],
            [SpatialTransformOnnxExporter.OutputName]);
        var values = results[0].GetTensorDataAsSpan<float>().ToArray();
        int width = values.Length / (int)n;
        return Enumerable.Range(0, (int)n).Select(i => values.AsSpan(i * width, width).ToArray()).ToArray();
    }
}
