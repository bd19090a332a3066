using Google.Protobuf;
using Onnx;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Appends nodes, initializers and graph inputs / outputs to an ONNX <see cref="GraphProto"/> with unique value names,
/// so that the exporter reads as a sequence of operators. Int64 constants (shapes, axes) are shared by value.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> usedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> nextSuffix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> int64Constants = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph named <paramref name="graphName"/>.</summary>
    public OnnxGraphBuilder(string graphName, int opsetVersion)
    {
        Graph = new GraphProto { Name = graphName };
        OpsetVersion = opsetVersion;
    }

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; }

    /// <summary>The default-domain opset the nodes are written for.</summary>
    public int OpsetVersion { get; }

    /// <summary>A value name not used before: <paramref name="hint"/>, or <paramref name="hint"/>_2, _3...</summary>
    public string UniqueName(string hint)
    {
        if (usedNames.Add(hint))
            return hint;
        int k = nextSuffix.GetValueOrDefault(hint, 2);
        string candidate;
        while (!usedNames.Add(candidate = $"{hint}_{k}"))
            k++;
        nextSuffix[hint] = k + 1;
        return candidate;
    }

    /// <summary>Reserves <paramref name="name"/> exactly (for graph inputs and outputs); throws when it is taken.</summary>
    public string ExactName(string name) =>
        usedNames.Add(name) ? name : throw new InvalidOperationException($"The ONNX value name '{name}' is already used.");

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    /// <param name="opType">ONNX operator, e.g. "Conv".</param>
    /// <param name="inputs">Input value names ("" for an omitted optional input).</param>
    /// <param name="attributes">Attributes, see <see cref="Int"/>, <see cref="Ints"/>, <see cref="Float"/>, <see cref="String"/>.</param>
    /// <param name="outputName">Exact output name (e.g. a graph output); null = a unique name derived from the operator.</param>
    public string Add(string opType, IEnumerable<string> inputs, IEnumerable<AttributeProto>? attributes = null, string? outputName = null)
    {
        string output = outputName ?? UniqueName(opType.ToLowerInvariant());
        var node = new NodeProto { OpType = opType, Name = UniqueName($"{opType}_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        if (attributes is not null)
            node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a node with one output (params form of <see cref="Add(string, IEnumerable{string}, IEnumerable{AttributeProto}?, string?)"/>).</summary>
    public string Add(string opType, params string[] inputs) => Add(opType, inputs, null, null);

    /// <summary>Adds a float32 initializer of shape <paramref name="dims"/> and returns its name.</summary>
    public string FloatInitializer(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckCount(values.Length, dims, hint);
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var data = new float[values.Length];
        values.CopyTo(data);
        tensor.FloatData.AddRange(data);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 scalar initializer (shape []).</summary>
    public string FloatScalar(string hint, float value) => FloatInitializer(hint, [value]);

    /// <summary>A 1-D int64 initializer (shapes, axes, indices), shared with earlier constants of the same values.</summary>
    public string Int64Constant(params long[] values)
    {
        string key = string.Join(",", values);
        if (int64Constants.TryGetValue(key, out var existing))
            return existing;
        var tensor = new TensorProto { Name = UniqueName("const_i64"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        int64Constants[key] = tensor.Name;
        return tensor.Name;
    }

    /// <summary>A 1-D UTF-8 string initializer.</summary>
    public string StringInitializer(string hint, IReadOnlyList<string> values)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.Add(values.Count);
        foreach (var value in values)
            tensor.StringData.Add(ByteString.CopyFromUtf8(value));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Declares a graph input. A dimension is a <see cref="long"/> (fixed) or a <see cref="string"/> (symbolic).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        Graph.Input.Add(ValueInfo(ExactName(name), type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="name"/> (already produced by a node) as a graph output.</summary>
    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) =>
        Graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>An int attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An ints attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"A dimension must be a long or a string; got {dim?.GetType().Name ?? "null"}.", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static void CheckCount(int count, long[] dims, string hint)
    {
        long expected = 1;
        foreach (var d in dims)
            expected *= d;
        if (expected != count)
            throw new ArgumentException($"Initializer '{hint}' has {count} values for shape [{string.Join(", ", dims)}].");
    }
}
