using Ml.Transforms.Estimators;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using Ml.Transforms.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

/// <summary>
/// The transforms' options are composed of the library's one vocabulary: a <see cref="SpatialTransformerOptions"/>
/// (both transforms) and a <see cref="TrainingOptions"/> (AlignImages), each with the transform's documented defaults;
/// settings that cannot apply to a transform are refused, naming the setting.
/// </summary>
[TestClass]
public sealed class ComposedOptionsTests
{
    [TestMethod]
    public void EachTransformHasItsDocumentedDefaults()
    {
        var warp = new ImageWarpOptions().Transformer;
        Assert.AreEqual((64, 64, 3), (warp.ImageWidth, warp.ImageHeight, warp.Channels));
        Assert.AreEqual((64, 64), (warp.OutputWidthInUse, warp.OutputHeightInUse));
        Assert.AreEqual(SamplingMode.Bilinear, warp.Sampler);
        Assert.IsTrue(warp.SamplerOptions.AddFittedIntercept, "WarpImages: the paper's sampler settings");
        Assert.AreEqual(WarpFamily.Homography, warp.Warp);

        var align = new LearnedAlignmentOptions();
        Assert.AreEqual((64, 64, 4), (align.Transformer.ImageWidth, align.Transformer.ImageHeight, align.Transformer.WarpSteps));
        Assert.AreEqual(SamplingMode.Linearized, align.Transformer.Sampler);
        Assert.IsFalse(align.Transformer.SamplerOptions.AddFittedIntercept, "AlignImages: no fitted intercept");
        var t = align.Training;
        Assert.AreEqual((10, 32, 5e-5, 0.05), (t.Epochs, t.BatchSize, t.LearningRate, t.PerturbationStrength));
        Assert.AreEqual((LearningRateSchedule.Constant, 0.0, TrainingOptimizer.Adam), (t.Schedule, t.WarmupEpochs, t.Optimizer));
        Assert.AreEqual(0, t.Seed);

        // Each options object has its own parts: setting one in place does not reach another.
        var other = new LearnedAlignmentOptions { Transformer = { Warp = WarpFamily.Affine }, Training = { Epochs = 3 } };
        Assert.AreEqual((WarpFamily.Homography, 10), (align.Transformer.Warp, align.Training.Epochs));
        Assert.AreEqual((WarpFamily.Affine, 3), (other.Transformer.Warp, other.Training.Epochs));
    }

    [TestMethod]
    [DataRow("WarpSteps")]
    [DataRow("PredictorChannels")]
    [DataRow("MaximumKernelSize")]
    [DataRow("StandardizeImages")]
    public void WarpImagesRefusesTheNetworkSettingsOfALearnedWarp(string setting)
    {
        var options = new ImageWarpOptions { Parameters = [0f, 0f], Transformer = { Warp = WarpFamily.Translation } };
        options.Validate();
        switch (setting)
        {
            case "WarpSteps": options.Transformer.WarpSteps = 2; break;
            case "PredictorChannels": options.Transformer.PredictorChannels = [4, 8]; break;
            case "MaximumKernelSize": options.Transformer.MaximumKernelSize = 5; break;
            default: options.Transformer.StandardizeImages = false; break;
        }
        var e = Assert.ThrowsExactly<ArgumentException>(() => new MLContext(0).Transforms.WarpImages("W", "Pixels", options));
        Assert.AreEqual("Transformer." + setting, e.ParamName);
        StringAssert.Contains(e.Message, "WarpImages applies a given warp and has no network");
    }

    [TestMethod]
    public void AlignImagesRefusesTheTrainingSettingsThatCannotApply()
    {
        static string Refused(Action<TrainingOptions> set)
        {
            var options = new LearnedAlignmentOptions { Target = AlignmentTarget.Mean };
            options.Validate();
            set(options.Training);
            return Assert.Throws<ArgumentException>(options.Validate).ParamName!;
        }
        Assert.AreEqual("Training.GeometricLearningRate", Refused(t => t.GeometricLearningRate = 1e-4));
        Assert.AreEqual("Training.EarlyStoppingPatience", Refused(t => t.EarlyStoppingPatience = 3));
        Assert.AreEqual("Training.PerturbValidation", Refused(t => t.PerturbValidation = true));
        // The training settings' own checks, and the parts themselves.
        Assert.AreEqual("Epochs", Refused(t => t.Epochs = 0));
        var noTraining = new LearnedAlignmentOptions { Target = AlignmentTarget.Mean, Training = null! };
        Assert.AreEqual("Training", Assert.ThrowsExactly<ArgumentNullException>(noTraining.Validate).ParamName);
        var noTransformer = new LearnedAlignmentOptions { Target = AlignmentTarget.Mean, Transformer = null! };
        Assert.AreEqual("Transformer", Assert.ThrowsExactly<ArgumentNullException>(noTransformer.Validate).ParamName);
        // KeepBest has nothing to choose from without validation data (the last epoch is kept, as in the trainer).
        new LearnedAlignmentOptions { Target = AlignmentTarget.Mean, Training = { KeepBest = false } }.Validate();
    }

    [TestMethod]
    public void WarpImagesOutputsTheTransformersDownsampledSizeAndFrame()
    {
        // Downsampling and FrameScale come with the composed Transformer: a 16×16 input by 2 gives 8×8, and the identity
        // warp of frame 0.5 shows the central half of the input.
        var ml = new MLContext(0);
        using var scope = NewDisposeScope();
        var images = Grids.Image(2, 3, 16, 16, ScalarType.Float32, seed: 12);
        var data = PixelData.From(ml, images);
        var options = new ImageWarpOptions
        {
            Transformer = { Warp = WarpFamily.Translation, ImageWidth = 16, ImageHeight = 16, Downsampling = 2, FrameScale = 0.5 },
            Parameters = [0f, 0f],
        };
        var warped = PixelData.Read(ml.Transforms.WarpImages("Warped", "Pixels", options).Fit(data).Transform(data), "Warped", 3, 8, 8);
        var expected = GridSampler.GridSample(images, WarpGrid.ToGrid(zeros(2, 2), WarpFamily.Translation, 8, 8, alignCorners: false, frameScale: 0.5));
        TensorAssert.Close(expected, warped, 1e-6);
    }

    [TestMethod]
    public void AlignImagesTrainsWithItsTrainingOptions()
    {
        // The optimizer, schedule and log of Training reach the learned alignment: SGD learns other warps than Adam,
        // a cosine schedule other warps than the constant default, and Log gets what mlContext.Log gets.
        var ml = new MLContext(0);
        using var images = Grids.Image(16, 3, 8, 8, ScalarType.Float32, seed: 13);
        var data = PixelData.From(ml, images);
        var log = new List<string>();
        float[] Warps(Action<TrainingOptions> set)
        {
            var options = new LearnedAlignmentOptions
            {
                Target = AlignmentTarget.Mean,
                Architecture = SpatialArchitecture.Stn,
                Transformer = { Warp = WarpFamily.Translation, ImageWidth = 8, ImageHeight = 8 },
                Training = { Epochs = 2, BatchSize = 8, LearningRate = 1e-3, Device = Ml.Transforms.Devices.ComputeDevice.Cpu, Log = log.Add },
                WarpColumnName = "Warp",
                MinimumVisibleFraction = 0,
            };
            set(options.Training);
            return ml.Transforms.AlignImages("Aligned", "Pixels", options).Fit(data).Transform(data).GetColumn<float[]>("Warp").SelectMany(w => w).ToArray();
        }
        var adam = Warps(_ => { });
        CollectionAssert.AreEqual(adam, Warps(_ => { }), "seeded: the same settings give the same warps");
        CollectionAssert.AreNotEqual(adam, Warps(t => (t.Optimizer, t.LearningRate, t.Momentum) = (TrainingOptimizer.Sgd, 1e-2, 0.9)), "SGD");
        CollectionAssert.AreNotEqual(adam, Warps(t => (t.Schedule, t.WarmupEpochs) = (LearningRateSchedule.Cosine, 1)), "warm-up and cosine");
        Assert.IsTrue(log.Any(l => l.StartsWith("Epoch 2/2: photometric loss", StringComparison.Ordinal)), string.Join("\n", log));
        Assert.IsTrue(log.Any(l => l.StartsWith("Training a Stn alignment network", StringComparison.Ordinal)));
    }
}
