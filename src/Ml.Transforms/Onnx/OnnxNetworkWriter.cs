using Ml.Transforms.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Writes the convolutional networks of a <see cref="SpatialClassifier"/> — the geometric predictor and the classifier
/// head — as ONNX nodes, with their weights as float32 initializers. Each network's weights are written once; calling
/// a writer again (the IC-STN's recurrent steps) reuses the same initializers.
/// </summary>
internal sealed class OnnxNetworkWriter
{
    private readonly OnnxGraphBuilder graph;
    private readonly Dictionary<string, string> weights = new(StringComparer.Ordinal);
    private string? epsilon;

    public OnnxNetworkWriter(OnnxGraphBuilder graph) => this.graph = graph;

    /// <summary>
    /// (N, C, H, W) → (N, P): the trunk, flatten, fully connected (<see cref="GeometricPredictor.forward"/>).
    /// </summary>
    public string Predictor(GeometricPredictor predictor, string image)
    {
        var x = Trunk(predictor, predictor.Trunk, "predictor", image);
        return Linear(predictor, "predictor", "fc", graph.Add("Flatten", [x], [OnnxGraphBuilder.Int("axis", 1)]));
    }

    /// <summary>
    /// (N, C, H, W) → (N, classes) logits: the trunk, max-pool, flatten, fully connected
    /// (<see cref="ConvolutionalClassifier.forward"/>).
    /// </summary>
    public string Classifier(ConvolutionalClassifier classifier, string image)
    {
        var x = Trunk(classifier, classifier.Trunk, "classifier", image);
        // nn.MaxPool2d(k): stride k, no padding, floor rounding.
        x = graph.Add("MaxPool", [x],
        [
            OnnxGraphBuilder.Ints("kernel_shape", classifier.PoolSize, classifier.PoolSize),
            OnnxGraphBuilder.Ints("strides", classifier.PoolSize, classifier.PoolSize),
        ]);
        return Linear(classifier, "classifier", "fc", graph.Add("Flatten", [x], [OnnxGraphBuilder.Int("axis", 1)]));
    }

    /// <summary>
    /// <see cref="ConvolutionalTrunk.forward"/>: optional <see cref="ImageStandardization"/>, conv, ReLU, conv, ReLU;
    /// the weights are <paramref name="owner"/>'s <c>trunk.conv1.*</c> and <c>trunk.conv2.*</c>.
    /// </summary>
    private string Trunk(nn.Module owner, ConvolutionalTrunk trunk, string prefix, string image)
    {
        var x = trunk.Standardizes ? Standardize(image) : image;
        x = graph.Add("Relu", Conv(owner, prefix, "trunk.conv1", x, trunk.KernelSize, trunk.Padding));
        return graph.Add("Relu", Conv(owner, prefix, "trunk.conv2", x, trunk.KernelSize, trunk.Padding));
    }

    /// <summary>
    /// <see cref="ImageStandardization"/>: (x − mean) · 1 / sqrt(var + ε) per image over C, H, W, population variance
    /// of the centred values (as the module computes it).
    /// </summary>
    public string Standardize(string image)
    {
        var mean = ReduceMeanChw(image);
        var centred = graph.Add("Sub", image, mean);
        var variance = ReduceMeanChw(graph.Add("Mul", centred, centred));
        // libtorch adds the double ε to a float32 tensor as a float32 scalar; rsqrt is 1 / sqrt.
        epsilon ??= graph.FloatScalar("standardize_epsilon", (float)ImageStandardization.Epsilon);
        var scale = graph.Add("Reciprocal", graph.Add("Sqrt", graph.Add("Add", variance, epsilon)));
        return graph.Add("Mul", centred, scale);
    }

    private string ReduceMeanChw(string x)
    {
        // Opset 18 moved ReduceMean's axes from an attribute to an input.
        if (graph.OpsetVersion >= 18)
            return graph.Add("ReduceMean", [x, graph.Int64Constant(1, 2, 3)], [OnnxGraphBuilder.Int("keepdims", 1)]);
        return graph.Add("ReduceMean", [x], [OnnxGraphBuilder.Ints("axes", 1, 2, 3), OnnxGraphBuilder.Int("keepdims", 1)]);
    }

    private string Conv(nn.Module module, string prefix, string layer, string x, int kernel, int padding)
    {
        var (weight, bias) = Weights(module, prefix, layer);
        return graph.Add("Conv", [x, weight, bias],
        [
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("pads", padding, padding, padding, padding),
            OnnxGraphBuilder.Ints("strides", 1, 1),
            OnnxGraphBuilder.Ints("dilations", 1, 1),
            OnnxGraphBuilder.Int("group", 1),
        ]);
    }

    private string Linear(nn.Module module, string prefix, string layer, string x)
    {
        var (weight, bias) = Weights(module, prefix, layer);
        // nn.Linear: x · Wᵀ + b, with W stored (out, in).
        return graph.Add("Gemm", [x, weight, bias], [OnnxGraphBuilder.Int("transB", 1)]);
    }

    /// <summary>The initializers of <c>{layer}.weight</c> and <c>{layer}.bias</c>, written on first use.</summary>
    private (string Weight, string Bias) Weights(nn.Module module, string prefix, string layer) =>
        (Parameter(module, prefix, $"{layer}.weight"), Parameter(module, prefix, $"{layer}.bias"));

    private string Parameter(nn.Module module, string prefix, string name)
    {
        string key = $"{prefix}.{name}";
        if (weights.TryGetValue(key, out var existing))
            return existing;
        var parameter = module.named_parameters().FirstOrDefault(p => p.name == name).parameter
            ?? throw new InvalidOperationException($"{module.GetName()} has no parameter '{name}'; the ONNX exporter does not know this layout.");
        string initializer = graph.FloatInitializer(key.Replace('.', '_'), ReadFloats(parameter, key), parameter.shape);
        weights[key] = initializer;
        return initializer;
    }

    /// <summary>The values of a float32 tensor, copied to the CPU without touching the tensor itself.</summary>
    private static float[] ReadFloats(Tensor tensor, string what)
    {
        if (tensor.dtype != ScalarType.Float32)
            throw new ArgumentException($"The ONNX export needs a float32 model; '{what}' is {tensor.dtype}.", nameof(tensor));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return tensor.detach().cpu().contiguous().data<float>().ToArray();
    }
}
