using Microsoft.ML.OnnxRuntime;
using Ml.Transforms.Onnx;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Onnx;

[TestClass]
public sealed class SpatialClassifierOnnxExporterTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Architectures =>
        from architecture in new[] { SpatialArchitecture.None, SpatialArchitecture.Stn, SpatialArchitecture.InverseCompositionalStn }
        from warp in new[] { WarpFamily.Translation, WarpFamily.Similarity, WarpFamily.Affine, WarpFamily.Homography }
        from downsampling in new[] { 1, 2, 4, 8 }
        select new object[] { architecture, warp, downsampling };

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void LinearizedModelsMatchTorchSharp(SpatialArchitecture architecture, WarpFamily warp, int downsampling) =>
        AssertParity(OnnxParity.Options(architecture, warp, downsampling), $"{architecture} {warp} {downsampling}x Linearized");

    [TestMethod]
    [DataRow(SamplingMode.Bilinear)]
    [DataRow(SamplingMode.Nearest)]
    [DataRow(SamplingMode.Bicubic)]
    [DataRow(SamplingMode.MultiScale)]
    public void EverySamplerMatchesTorchSharp(SamplingMode sampler) =>
        AssertParity(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Homography, 4, sampler),
            $"IC-STN Homography 4x {sampler}");

    [TestMethod]
    [DataRow(PaddingMode.Border, false, SamplingMode.Linearized)]
    [DataRow(PaddingMode.Reflection, false, SamplingMode.Linearized)]
    [DataRow(PaddingMode.Zeros, true, SamplingMode.Linearized)]
    [DataRow(PaddingMode.Border, true, SamplingMode.Linearized)]
    [DataRow(PaddingMode.Reflection, true, SamplingMode.Linearized)]
    [DataRow(PaddingMode.Border, false, SamplingMode.Bicubic)]
    [DataRow(PaddingMode.Reflection, true, SamplingMode.Bicubic)]
    [DataRow(PaddingMode.Reflection, false, SamplingMode.Nearest)]
    [DataRow(PaddingMode.Border, true, SamplingMode.MultiScale)]
    public void PaddingAndAlignmentMatchTorchSharp(PaddingMode padding, bool alignCorners, SamplingMode sampler) =>
        AssertParity(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Homography, 2, sampler, padding, alignCorners),
            $"IC-STN Homography 2x {sampler} {padding} align={alignCorners}");

    [TestMethod]
    [DataRow(SpatialArchitecture.InverseCompositionalStn)]
    [DataRow(SpatialArchitecture.Stn)]
    [DataRow(SpatialArchitecture.None)]
    public void ModelsWithoutStandardizationMatchTorchSharp(SpatialArchitecture architecture) =>
        AssertParity(OnnxParity.Options(architecture, WarpFamily.Affine, 2, standardize: false), $"{architecture} Affine 2x unstandardized");

    [TestMethod]
    [DataRow(SpatialArchitecture.InverseCompositionalStn, 4)]
    [DataRow(SpatialArchitecture.Stn, 4)]
    [DataRow(SpatialArchitecture.Stn, 8)]
    [DataRow(SpatialArchitecture.None, 8)]
    public void ACanonicalFrameInsideTheImageMatchesTorchSharp(SpatialArchitecture architecture, int downsampling)
    {
        // The IC-STN paper's framing: 50×50 images, the central 36×36 is the canonical frame, the output 36 / f.
        var options = OnnxParity.Options(architecture, WarpFamily.Homography, downsampling);
        options.Transformer.ImageHeight = options.Transformer.ImageWidth = 50;
        options.Transformer.FrameScale = 0.72;
        options.Transformer.OutputHeight = options.Transformer.OutputWidth = (int)Math.Ceiling(36.0 / downsampling);
        AssertParity(options, $"{architecture} frame 0.72 {downsampling}x");
    }

    [TestMethod]
    [DataRow(16, SamplingMode.Bicubic)]
    [DataRow(18, SamplingMode.Linearized)]
    [DataRow(20, SamplingMode.Bicubic)]
    [DataRow(21, SamplingMode.Linearized)]
    public void OtherOpsetsMatchTorchSharp(int opset, SamplingMode sampler) =>
        AssertParity(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Homography, 2, sampler),
            $"IC-STN Homography 2x {sampler} opset {opset}", new OnnxExportOptions { OpsetVersion = opset, IncludeWarp = true, IncludeRectified = true });

    [TestMethod]
    public void TheGraphFollowsTheContract()
    {
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Similarity, 4));
        var bytes = SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5));
        using var session = new InferenceSession(bytes);

        Assert.AreEqual(SpatialClassifierOnnxExporter.InputName, session.InputMetadata.Keys.Single());
        var input = session.InputMetadata["pixels"];
        Assert.AreEqual(typeof(float), input.ElementType);
        CollectionAssert.AreEqual(new[] { -1, 3 * 32 * 32 }, input.Dimensions);
        Assert.AreEqual("N", input.SymbolicDimensions[0]);

        CollectionAssert.AreEqual(new[] { "Score", "PredictedLabel" }, session.OutputMetadata.Keys.ToArray());
        var score = session.OutputMetadata["Score"];
        Assert.AreEqual(typeof(float), score.ElementType);
        CollectionAssert.AreEqual(new[] { -1, 5 }, score.Dimensions);
        var label = session.OutputMetadata["PredictedLabel"];
        Assert.AreEqual(typeof(string), label.ElementType);
        CollectionAssert.AreEqual(new[] { -1 }, label.Dimensions);

        var both = SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5), new OnnxExportOptions { IncludeWarp = true, IncludeRectified = true });
        using var full = new InferenceSession(both);
        CollectionAssert.AreEqual(new[] { "Score", "PredictedLabel", "Warp", "Rectified" }, full.OutputMetadata.Keys.ToArray());
        CollectionAssert.AreEqual(new[] { -1, 4 }, full.OutputMetadata["Warp"].Dimensions);
        CollectionAssert.AreEqual(new[] { -1, 3 * 8 * 8 }, full.OutputMetadata["Rectified"].Dimensions);
    }

    [TestMethod]
    public void ScoresAreProbabilitiesAndLabelsFollowTheClassOrder()
    {
        using var scope = NewDisposeScope();
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.Stn, WarpFamily.Affine, 2));
        string[] labels = ["stop", "yield", "priority road", "no entry", "ahead only"];
        var images = OnnxParity.Images(model.Options);
        var outputs = OnnxParity.Run(SpatialClassifierOnnxExporter.Export(model, labels), images);
        var score = (float[])outputs["Score"];
        var predicted = (string[])outputs["PredictedLabel"];
        for (int i = 0; i < OnnxParity.Batch; i++)
        {
            var row = score.AsSpan(i * 5, 5).ToArray();
            Assert.AreEqual(1.0, row.Sum(), 1e-5);
            Assert.AreEqual(labels[Array.IndexOf(row, row.Max())], predicted[i]);
        }
    }

    [TestMethod]
    public void TheIcStnStepsShareOneSetOfPredictorWeights()
    {
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Homography, 2));
        var onnx = SpatialClassifierOnnxExporter.BuildModel(model, OnnxParity.Labels(5), null);
        var initializers = onnx.Graph.Initializer.Select(i => i.Name).ToList();
        Assert.HasCount(6, initializers.Where(n => n.StartsWith("predictor_", StringComparison.Ordinal)));
        Assert.HasCount(6, initializers.Where(n => n.StartsWith("classifier_", StringComparison.Ordinal)));
        Assert.AreEqual(initializers.Count, initializers.Distinct().Count());
        int steps = model.Options.Transformer.WarpSteps;
        Assert.HasCount(steps + 1, onnx.Graph.Node.Where(n => n.OpType == "GridSample"));
        Assert.HasCount(2 * steps + 2, onnx.Graph.Node.Where(n => n.OpType == "Conv"));
        var predictorWeight = initializers.Single(n => n == "predictor_trunk_conv1_weight");
        Assert.HasCount(steps, onnx.Graph.Node.Where(n => n.Input.Contains(predictorWeight)));
        Assert.AreEqual(17, onnx.OpsetImport.Single().Version);
    }

    [TestMethod]
    public void AWrongLabelCountIsRejected()
    {
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.None));
        var error = Assert.Throws<ArgumentException>(() => SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(4)));
        Assert.AreEqual("classLabels", error.ParamName);
        StringAssert.Contains(error.Message, "5 classes");
        Assert.Throws<ArgumentException>(() => SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(6)));
    }

    [TestMethod]
    public void ADoubleModelIsRejected()
    {
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.Stn, WarpFamily.Affine, 2));
        model.to(ScalarType.Float64);
        var error = Assert.Throws<ArgumentException>(() => SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5)));
        StringAssert.Contains(error.Message, "float32");
    }

    [TestMethod]
    [DataRow(15)]
    [DataRow(22)]
    public void AnUnsupportedOpsetIsRejected(int opset)
    {
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.None));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5), new OnnxExportOptions { OpsetVersion = opset }));
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void ExportingDoesNotChangeTheModel(bool training)
    {
        using var scope = NewDisposeScope();
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Homography, 4, SamplingMode.MultiScale));
        model.train(training);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var sampler = model.Transformer!.CurrentSampler;

        SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5), new OnnxExportOptions { IncludeWarp = true, IncludeRectified = true });

        Assert.AreEqual(training, model.training);
        Assert.IsTrue(model.modules().All(m => m.training == training), "every submodule keeps its training flag");
        Assert.AreEqual(sampler, model.Transformer.CurrentSampler);
        var after = model.state_dict();
        Assert.HasCount(before.Count, after);
        foreach (var (name, value) in before)
        {
            Assert.AreEqual(ScalarType.Float32, after[name].dtype, name);
            Assert.IsTrue(value.eq(after[name]).all().item<bool>(), $"{name} changed");
        }
    }

    [TestMethod]
    public void AModelInTrainingModeExportsItsEvalGraph()
    {
        using var scope = NewDisposeScope();
        using var model = OnnxParity.Build(OnnxParity.Options(SpatialArchitecture.InverseCompositionalStn, WarpFamily.Affine, 4));
        model.train();
        var bytes = SpatialClassifierOnnxExporter.Export(model, OnnxParity.Labels(5));
        Assert.IsTrue(model.training);
        model.eval();
        var images = OnnxParity.Images(model.Options);
        Tensor expected;
        using (no_grad())
            expected = nn.functional.softmax(model.forward(images), 1);
        Assert.IsLessThanOrEqualTo(OnnxParity.Tolerance, OnnxParity.MaxAbs(expected, (float[])OnnxParity.Run(bytes, images)["Score"]));
    }

    private void AssertParity(SpatialClassifierOptions options, string what, OnnxExportOptions? export = null)
    {
        using var scope = NewDisposeScope();
        using var model = OnnxParity.Build(options);
        var images = OnnxParity.Images(options);
        var result = OnnxParity.Compare(model, images, export);
        TestContext.WriteLine(
            $"{what}: max|Δscore| {result.ScoreDifference:E2}, max|Δwarp| {result.WarpDifference:E2}, max|Δsampling| {result.SamplingDifference:E2}, max|Δrectified| {result.RectifiedDifference:E2}, max|warp| {result.WarpMagnitude:F3}");
        Assert.IsLessThanOrEqualTo(OnnxParity.Tolerance, result.ScoreDifference, $"{what}: scores");
        Assert.IsLessThanOrEqualTo(OnnxParity.Tolerance, result.WarpDifference, $"{what}: warp parameters");
        // The rectified images are compared with TorchSharp sampling the input at ORT's own warp (the grid and sampler
        // alone); end to end they also carry the warp difference times the image gradient (see ParityResult).
        Assert.IsLessThanOrEqualTo(OnnxParity.Tolerance, result.SamplingDifference, $"{what}: rectified images");
        CollectionAssert.AreEqual(result.ExpectedLabels, result.Labels, $"{what}: labels");
        if (options.Architecture != SpatialArchitecture.None)
            Assert.IsGreaterThan(0.02, result.WarpMagnitude, $"{what}: the warps should be non-trivial");
    }
}
