using TorchSharp;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Modules;

[TestClass]
public sealed class SpatialClassifierTests
{
    public static IEnumerable<object[]> ArchitecturesAndFactors =>
        from a in Enum.GetValues<SpatialArchitecture>() from f in new[] { 1, 2, 4, 8 } select new object[] { a, f };

    private static SpatialClassifier Build(SpatialArchitecture architecture, int downsampling, SamplingMode sampler = SamplingMode.Linearized, ulong seed = 0)
    {
        manual_seed((long)seed);
        return new SpatialClassifier(new SpatialClassifierOptions
        {
            Architecture = architecture,
            Transformer = new SpatialTransformerOptions
            {
                Downsampling = downsampling,
                Sampler = sampler,
                SamplerOptions = new SamplerOptions { Generator = new Generator(seed) },
            },
        });
    }

    [TestMethod]
    [DynamicData(nameof(ArchitecturesAndFactors))]
    public void ShapesFollowTheDownsamplingFactor(SpatialArchitecture architecture, int factor)
    {
        using var scope = NewDisposeScope();
        using var model = Build(architecture, factor);
        var output = model.Run(Grids.Image(5, 3, 32, 32, ScalarType.Float32, seed: 1));
        CollectionAssert.AreEqual(new long[] { 5, 43 }, output.Logits.shape);
        CollectionAssert.AreEqual(new long[] { 5, 3, 32 / factor, 32 / factor }, output.Rectified.shape);
        CollectionAssert.AreEqual(new long[] { 5, 8 }, output.Parameters.shape);
        TensorAssert.AllFinite(output.Logits);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(4)]
    public void AnUntrainedIcStnIsTheIdentity(int factor)
    {
        using var scope = NewDisposeScope();
        using var model = Build(SpatialArchitecture.InverseCompositionalStn, factor);
        model.eval();
        var image = Grids.Image(3, 3, 32, 32, ScalarType.Float32, seed: 2);
        var output = model.Run(image);
        TensorAssert.Equal(zeros(3, 8), output.Parameters);
        var identity = GridSampler.GridSample(image, WarpGrid.IdentityGrid(32 / factor, 32 / factor, false, ScalarType.Float32, CPU).expand(3, -1, -1, -1));
        TensorAssert.Equal(identity, output.Rectified);
        if (factor == 1)
            TensorAssert.Equal(image, output.Rectified);
    }

    [TestMethod]
    public void TheBaselineSeesTheInputDownsampledLikeAnUntrainedStn()
    {
        using var scope = NewDisposeScope();
        using var baseline = Build(SpatialArchitecture.None, 4);
        using var stn = Build(SpatialArchitecture.Stn, 4);
        baseline.eval();
        stn.eval();
        var image = Grids.Image(2, 3, 32, 32, ScalarType.Float32, seed: 3);
        TensorAssert.Equal(baseline.Run(image).Rectified, stn.Run(image).Rectified);
    }

    [TestMethod]
    [DataRow(SpatialArchitecture.Stn, SamplingMode.Bilinear)]
    [DataRow(SpatialArchitecture.Stn, SamplingMode.Linearized)]
    [DataRow(SpatialArchitecture.Stn, SamplingMode.MultiScale)]
    [DataRow(SpatialArchitecture.Stn, SamplingMode.Bicubic)]
    [DataRow(SpatialArchitecture.InverseCompositionalStn, SamplingMode.Bilinear)]
    [DataRow(SpatialArchitecture.InverseCompositionalStn, SamplingMode.Linearized)]
    [DataRow(SpatialArchitecture.InverseCompositionalStn, SamplingMode.MultiScale)]
    [DataRow(SpatialArchitecture.InverseCompositionalStn, SamplingMode.Bicubic)]
    public void TheLossGradientReachesThePredictor(SpatialArchitecture architecture, SamplingMode sampler)
    {
        using var scope = NewDisposeScope();
        using var model = Build(architecture, 2, sampler);
        model.train();
        var image = Grids.Image(4, 3, 32, 32, ScalarType.Float32, seed: 4);
        using var g = new Generator(5);
        var perturbation = WarpPerturbation.Sample(WarpFamily.Homography, 4, generator: g);
        var labels = tensor(new long[] { 0, 1, 2, 3 });
        var loss = nn.functional.cross_entropy(model.Run(image, perturbation).Logits, labels);
        loss.backward();
        foreach (var (name, p) in model.Transformer!.Predictor.named_parameters())
            TensorAssert.AllFinite(p.grad!, name);
        // The last layer starts at zero, so the first step's gradient reaches the predictor through its last layer.
        var last = model.Transformer.Predictor.named_parameters().Last(p => p.name.EndsWith("weight", StringComparison.Ordinal)).parameter;
        Assert.IsGreaterThan(0.0, TensorAssert.MaxAbs(last.grad!), $"{architecture} {sampler}");
    }

    [TestMethod]
    public void EvalModeScoresDeterministically()
    {
        using var scope = NewDisposeScope();
        using var model = Build(SpatialArchitecture.InverseCompositionalStn, 4);
        RandomizeLastLayer(model);
        model.eval();
        var image = Grids.Image(3, 3, 32, 32, ScalarType.Float32, seed: 6).requires_grad_(true);
        Assert.AreEqual(SamplingMode.Bilinear, model.Transformer!.CurrentSampler);
        TensorAssert.Equal(model.forward(image), model.forward(image));
        model.train();
        Assert.AreEqual(SamplingMode.Linearized, model.Transformer.CurrentSampler);
    }

    [TestMethod]
    public void ModulesFollowTheDtypeTheyAreMovedTo()
    {
        using var scope = NewDisposeScope();
        using var model = Build(SpatialArchitecture.InverseCompositionalStn, 2);
        model.to(ScalarType.Float64);
        var output = model.Run(Grids.Image(2, 3, 32, 32, ScalarType.Float64, seed: 7));
        Assert.AreEqual(ScalarType.Float64, output.Logits.dtype);
        Assert.AreEqual(ScalarType.Float64, output.Parameters.dtype);
    }

    [TestMethod]
    public void AWrongImageSizeSaysWhatTheModuleWasBuiltFor()
    {
        using var scope = NewDisposeScope();
        using var model = Build(SpatialArchitecture.Stn, 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.Run(zeros(1, 3, 28, 28)));
        StringAssert.Contains(e.Message, "(N, 3, 32, 32)");
    }

    [TestMethod]
    public void ParameterCountsPerFactorAreThoseOfTheLayers()
    {
        // 32×32 RGB, 43 classes. Classifier: conv 3×3 3→w, conv 3×3 w→2w (size kept), pool 2, FC → 43; w = 42/39/31/24.
        //   1×: 1 176 + 31 836 + 16·16·84·43+43 = 957 727 (paper 966k).  2×: 1 092 + 27 456 + 8·8·78·43+43 = 243 247 (246k).
        //   4×: 868 + 17 360 + 4·4·62·43+43 = 60 927 (61k).              8×: 672 + 10 416 + 2·2·48·43+43 = 19 387 (19k).
        long[] classifier = [957_727, 243_247, 60_927, 19_387];
        // STN predictor (sees 32×32): conv 7 3→6, conv 7 6→24, 20×20×24 → 8: 888 + 7 080 + 76 808 = 84 776 at every factor.
        // IC-STN predictor (sees the output): 1× as the STN; 2× 16 px 7×7 VALID → 4×4: 7 968 + 384·8+8 = 11 048;
        //   4× 8 px 3×3 SAME → 8×8: 168 + 1 320 + 1536·8+8 = 13 784; 8× 4 px 3×3 SAME → 4×4: 1 488 + 384·8+8 = 4 568.
        long[] icstn = [84_776, 11_048, 13_784, 4_568];
        int[] factors = [1, 2, 4, 8];
        for (int i = 0; i < factors.Length; i++)
        {
            using var baseline = Build(SpatialArchitecture.None, factors[i]);
            using var stn = Build(SpatialArchitecture.Stn, factors[i]);
            using var ic = Build(SpatialArchitecture.InverseCompositionalStn, factors[i]);
            Assert.AreEqual(classifier[i], baseline.ClassifierParameterCount, $"classifier {factors[i]}×");
            Assert.AreEqual(0, baseline.GeometricParameterCount);
            Assert.AreEqual(classifier[i], stn.ClassifierParameterCount, $"STN classifier {factors[i]}×");
            Assert.AreEqual(84_776, stn.GeometricParameterCount, $"STN predictor {factors[i]}×");
            Assert.AreEqual(icstn[i], ic.GeometricParameterCount, $"IC-STN predictor {factors[i]}×");
        }
    }

    /// <summary>
    /// ClassifierDropout: inverted dropout on the pooled features while training only. The same seed gives the same
    /// weights with or without it (the layer has no parameters and draws nothing when built), so an evaluating network
    /// with dropout scores exactly as one without, and their state dicts have the same keys (weights files interchange).
    /// </summary>
    [TestMethod]
    public void DropoutActsWhileTrainingOnlyAndAddsNoWeights()
    {
        using var scope = NewDisposeScope();
        SpatialClassifier Plain(double dropout)
        {
            manual_seed(5);
            return new SpatialClassifier(new SpatialClassifierOptions { Architecture = SpatialArchitecture.None, ClassCount = 10, ClassifierDropout = dropout });
        }
        using var without = Plain(0);
        using var with = Plain(0.5);
        CollectionAssert.AreEqual(without.state_dict().Keys.ToList(), with.state_dict().Keys.ToList());
        Assert.AreEqual(without.ParameterCount, with.ParameterCount);
        var image = Grids.Image(8, 3, 32, 32, ScalarType.Float32, seed: 3);

        without.eval();
        with.eval();
        var expected = without.Run(image).Logits;
        TensorAssert.Equal(expected, with.Run(image).Logits, "evaluating: dropout is the identity");

        without.train();
        with.train();
        TensorAssert.Equal(expected, without.Run(image).Logits, "no dropout layer: training mode scores as evaluating");
        manual_seed(9);
        var dropped = with.Run(image).Logits;
        Assert.IsTrue((dropped - expected).abs().max().item<float>() > 1e-3f, "training with dropout changes the logits");
        manual_seed(9);
        TensorAssert.Equal(dropped, with.Run(image).Logits, "the same generator state drops the same features");
    }

    [TestMethod]
    [DataRow(-0.1)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    public void ADropoutOutsideZeroToOneIsRefusedByName(double dropout)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SpatialClassifierOptions { ClassifierDropout = dropout }.Validate());
        Assert.AreEqual(nameof(SpatialClassifierOptions.ClassifierDropout), error.ParamName);
        StringAssert.Contains(error.Message, "Must be in [0, 1)");
    }

    private static void RandomizeLastLayer(SpatialClassifier model)
    {
        using var noGrad = no_grad();
        foreach (var p in model.Transformer!.Predictor.parameters())
            p.normal_(0, 0.01);
    }
}
