namespace Ml.Trainers.Export;

/// <summary>One input or output of an exported graph, as an ONNX Runtime host sees it.</summary>
public sealed class StnOnnxTensor
{
    internal StnOnnxTensor(string name, string elementType, IReadOnlyList<string> shape, string meaning)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Meaning = meaning;
    }

    /// <summary>The tensor's name in the graph (what a host binds, e.g. <c>InferenceSession.Run</c>'s input name).</summary>
    public string Name { get; }

    /// <summary>ONNX element type in lower case: "float32" or "string".</summary>
    public string ElementType { get; }

    /// <summary>Dimensions, outermost first: "N" for the batch (any size), a number for a fixed size, e.g. ["N", "3072"].</summary>
    public IReadOnlyList<string> Shape { get; }

    /// <summary>What the values are.</summary>
    public string Meaning { get; }
}
