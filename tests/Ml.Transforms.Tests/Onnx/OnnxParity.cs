using Ml.Transforms.Devices;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Ml.Transforms.Onnx;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Onnx;

/// <summary>One exported configuration, its TorchSharp reference and its ONNX Runtime results.</summary>
/// <param name="ScoreDifference">max |softmax(TorchSharp logits) − ORT Score|.</param>
/// <param name="WarpDifference">max |TorchSharp warp parameters − ORT Warp|.</param>
/// <param name="SamplingDifference">
/// max |TorchSharp sampling of the input with ORT's warp − ORT Rectified|: the exported grid and sampler alone.
/// </param>
/// <param name="RectifiedDifference">
/// max |TorchSharp rectified − ORT Rectified|, end to end: it also carries the warp difference, which the sampler
/// multiplies by the image gradient (up to 1 per pixel for the random test images) times the pixels per normalized unit
/// (16 for 32 pixels), so ≈ 5e-7 in the parameters shows up as ≈ 1e-5 here. Reported, not asserted.
/// </param>
/// <param name="WarpMagnitude">max |warp parameter| (to check the warps are non-trivial).</param>
/// <param name="ExpectedLabels">Labels of TorchSharp's argmax.</param>
/// <param name="Labels">ORT PredictedLabel.</param>
internal sealed record ParityResult(
    double ScoreDifference,
    double WarpDifference,
    double SamplingDifference,
    double RectifiedDifference,
    double WarpMagnitude,
    string[] ExpectedLabels,
    string[] Labels);

/// <summary>Builds seeded classifiers with random weights, runs them in TorchSharp (eval) and in ONNX Runtime.</summary>
internal static class OnnxParity
{
    public const int Batch = 5;

    public const double Tolerance = 1e-5;

    public static SpatialClassifierOptions Options(
        SpatialArchitecture architecture,
        WarpFamily warp = WarpFamily.Homography,
        int downsampling = 1,
        SamplingMode sampler = SamplingMode.Linearized,
        PaddingMode padding = PaddingMode.Zeros,
        bool alignCorners = false,
        bool standardize = true,
        int classes = 5) => new()
        {
            Architecture = architecture,
            ClassCount = classes,
            Transformer = new SpatialTransformerOptions
            {
                Warp = warp,
                Downsampling = downsampling,
                Sampler = sampler,
                Padding = padding,
                AlignCorners = alignCorners,
                StandardizeImages = standardize,
            },
        };

    /// <summary>
    /// A classifier with every weight drawn from N(0, 0.05) — including the predictor's last layer, which starts at zero,
    /// scaled so that the predicted warps are clearly non-trivial (parameters of order 0.1) without folding the image.
    /// </summary>
    public static SpatialClassifier Build(SpatialClassifierOptions options, int seed = 1)
    {
        manual_seed(seed);
        var model = new SpatialClassifier(options);
        using (no_grad())
        {
            foreach (var (_, p) in model.named_parameters())
                p.normal_(0, 0.05);
            if (model.Transformer is { } transformer)
            {
                foreach (var (name, p) in transformer.Predictor.named_parameters())
                {
                    if (name.StartsWith("fc.", StringComparison.Ordinal))
                        p.TimesInPlace(name == "fc.weight" ? 2.0 / Math.Sqrt(p.shape[1]) : 1.0);
                }
            }
        }
        model.eval();
        return model;
    }

    public static Tensor Images(SpatialClassifierOptions options, int seed = 7)
    {
        var t = options.Transformer;
        using var g = new Generator((ulong)seed);
        return rand([Batch, t.Channels, t.ImageHeight, t.ImageWidth], ScalarType.Float32, generator: g);
    }

    public static string[] Labels(int count) => Enumerable.Range(0, count).Select(i => $"class-{i}").ToArray();

    /// <summary>Exports <paramref name="model"/> with Warp and Rectified, runs both sides and measures the differences.</summary>
    public static ParityResult Compare(SpatialClassifier model, Tensor images, OnnxExportOptions? export = null)
    {
        export ??= new OnnxExportOptions { IncludeWarp = true, IncludeRectified = true };
        var labels = Labels(model.Options.ClassCount);
        var bytes = SpatialClassifierOnnxExporter.Export(model, labels, export);

        using var scope = NewDisposeScope();
        (Tensor Logits, Tensor Rectified, Tensor Parameters) reference;
        using (no_grad())
            reference = model.Run(images);
        var probabilities = nn.functional.softmax(reference.Logits, 1);
        var expectedIndex = reference.Logits.argmax(1).data<long>().ToArray();

        var outputs = Run(bytes, images);
        var expectedLabels = expectedIndex.Select(i => labels[i]).ToArray();
        double warpDifference = 0, samplingDifference = 0, rectifiedDifference = 0;
        if (export.IncludeWarp)
            warpDifference = MaxAbs(reference.Parameters, (float[])outputs[SpatialClassifierOnnxExporter.WarpName]);
        if (export.IncludeRectified)
        {
            var rectified = (float[])outputs[SpatialClassifierOnnxExporter.RectifiedName];
            rectifiedDifference = MaxAbs(reference.Rectified, rectified);
            if (export.IncludeWarp)
                samplingDifference = MaxAbs(ResampleWith(model, images, (float[])outputs[SpatialClassifierOnnxExporter.WarpName]), rectified);
        }
        return new ParityResult(
            MaxAbs(probabilities, (float[])outputs[SpatialClassifierOnnxExporter.ScoreName]),
            warpDifference,
            samplingDifference,
            rectifiedDifference,
            reference.Parameters.abs().max().to(ScalarType.Float64).item<double>(),
            expectedLabels,
            (string[])outputs[SpatialClassifierOnnxExporter.PredictedLabelName]);
    }

    /// <summary>TorchSharp's eval-mode resampling of <paramref name="images"/> with the given warp parameters.</summary>
    private static Tensor ResampleWith(SpatialClassifier model, Tensor images, float[] warp)
    {
        var t = model.Options.Transformer;
        var parameters = tensor(warp).reshape(images.shape[0], t.Warp.ParameterCount());
        var grid = WarpGrid.ToGrid(parameters, t.Warp, t.OutputHeightInUse, t.OutputWidthInUse, t.AlignCorners, t.FrameScale);
        var mode = model.Transformer is null || t.Sampler == SamplingMode.Linearized ? SamplingMode.Bilinear : t.Sampler;
        return GridSampler.GridSample(images, grid, mode, t.Padding, t.AlignCorners, t.SamplerOptions);
    }

    /// <summary>Runs the ONNX bytes on the images (flattened CHW per row); float outputs as float[], strings as string[].</summary>
    public static Dictionary<string, object> Run(byte[] onnx, Tensor images)
    {
        long n = images.shape[0];
        var pixels = images.reshape(n, -1).contiguous().data<float>().ToArray();
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [n, pixels.Length / n]);
        using var runOptions = new RunOptions();
        var names = session.OutputNames.ToArray();
        using var results = session.Run(runOptions, [SpatialClassifierOnnxExporter.InputName], [input], names);
        var outputs = new Dictionary<string, object>();
        for (int i = 0; i < names.Length; i++)
        {
            var value = results[i];
            outputs[names[i]] = value.GetTensorTypeAndShape().ElementDataType == TensorElementType.String
                ? value.GetStringTensorAsArray()
                : value.GetTensorDataAsSpan<float>().ToArray();
        }
        return outputs;
    }

    public static double MaxAbs(Tensor expected, float[] actual)
    {
        var e = expected.detach().cpu().contiguous().reshape(-1).data<float>().ToArray();
        Assert.HasCount(e.Length, actual, "element count");
        double max = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double d = Math.Abs(e[i] - (double)actual[i]);
            if (double.IsNaN(d))
                return double.PositiveInfinity;
            max = Math.Max(max, d);
        }
        return max;
    }
}
