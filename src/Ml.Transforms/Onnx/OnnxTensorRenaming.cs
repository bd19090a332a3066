using Google.Protobuf;
using Onnx;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Renames graph inputs and outputs of an ONNX model. <c>ApplyOnnxModel</c> names its columns after the graph's tensors,
/// so the exported graph's fixed names become the column names the user asked for.
/// </summary>
internal static class OnnxTensorRenaming
{
    public static byte[] Rename(byte[] model, IReadOnlyDictionary<string, string> names)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        foreach (var value in graph.Input.Concat(graph.Output))
            if (names.TryGetValue(value.Name, out var renamed))
                value.Name = renamed;
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
                if (names.TryGetValue(node.Input[i], out var renamed)) node.Input[i] = renamed;
            for (int i = 0; i < node.Output.Count; i++)
                if (names.TryGetValue(node.Output[i], out var renamed)) node.Output[i] = renamed;
        }
        return proto.ToByteArray();
    }
}
