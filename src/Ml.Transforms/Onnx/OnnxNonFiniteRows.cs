using Onnx;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Rows with a NaN or infinite value, as ONNX nodes. A graph cannot throw for one row, so the exported graphs find such
/// rows, feed zeros in their place (a NaN grid coordinate must never reach ONNX Runtime's GridSample, which returns
/// unspecified finite values for it) and mark every output of the row NaN.
/// </summary>
internal static class OnnxNonFiniteRows
{
    /// <summary>bool [N, 1]: true where row n of <paramref name="rows"/> (float32 [N, D]) holds a NaN or ±Inf.</summary>
    public static string Find(OnnxGraphBuilder graph, string rows)
    {
        // x·0 is (±)0 for every finite x and NaN for NaN and ±Inf.
        var nan = graph.Add("IsNaN", graph.Add("Mul", rows, graph.FloatScalar("zero_for_finite_check", 0)));
        var asFloat = graph.Add("Cast", [nan], [OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Float)]);
        var any = ReduceMaxOverRow(graph, asFloat);
        return graph.Add("Cast", [any], [OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Bool)]);
    }

    /// <summary>bool [N, 1]: either flag (<paramref name="a"/>, <paramref name="b"/>: bool [N, 1]).</summary>
    public static string Or(OnnxGraphBuilder graph, string a, string b) => graph.Add("Or", a, b);

    /// <summary>float32 [N, D]: zeros in the rows <paramref name="flags"/> (bool [N, 1]) marks, <paramref name="rows"/> elsewhere.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="rows">float32 [N, D].</param>
    /// <param name="flags">bool [N, 1].</param>
    /// <param name="outputName">Exact output name (a graph output), or null for a generated one.</param>
    public static string Zero(OnnxGraphBuilder graph, string rows, string flags, string? outputName = null) =>
        graph.Add("Where", [flags, graph.FloatScalar("zero_for_nonfinite_row", 0), rows], null, outputName);

    /// <summary>
    /// float32 [N, D]: NaN in the rows <paramref name="flags"/> (bool [N, 1]) marks, <paramref name="rows"/> elsewhere.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="rows">float32 [N, D].</param>
    /// <param name="flags">bool [N, 1].</param>
    /// <param name="outputName">Exact output name (a graph output), or null for a generated one.</param>
    public static string MarkNaN(OnnxGraphBuilder graph, string rows, string flags, string? outputName = null) =>
        graph.Add("Where", [flags, graph.FloatScalar("nan_for_nonfinite_row", float.NaN), rows], null, outputName);

    /// <summary>[N, D] → [N, 1], the maximum of each row (opset 18 moved ReduceMax's axes from an attribute to an input).</summary>
    private static string ReduceMaxOverRow(OnnxGraphBuilder graph, string x) =>
        graph.OpsetVersion >= 18
            ? graph.Add("ReduceMax", [x, graph.Int64Constant(1)], [OnnxGraphBuilder.Int("keepdims", 1)])
            : graph.Add("ReduceMax", [x], [OnnxGraphBuilder.Ints("axes", 1), OnnxGraphBuilder.Int("keepdims", 1)]);
}
