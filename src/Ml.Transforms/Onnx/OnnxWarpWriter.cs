using Ml.Transforms.Geometry;
using Onnx;
using static TorchSharp.torch;

namespace Ml.Transforms.Onnx;

/// <summary>
/// Writes the warp geometry of <see cref="WarpMatrices"/>, <see cref="WarpComposition"/> and <see cref="WarpGrid"/>
/// as ONNX nodes for one warp family, operation for operation, so that ONNX Runtime computes the same floats:
/// <list type="bullet">
/// <item>parameters → matrices: every family's matrix is linear in p, M_flat = p·S + I_flat (MatMul with a constant
/// S that holds one ±1 per entry, then Add), exactly as <see cref="WarpMatrices.ToMatrix"/> stacks ±p_i and adds the
/// identity;</item>
/// <item>matrices → parameters: M / M[2,2], then the (linear) projection of <see cref="WarpMatrices.FromMatrix"/>
/// as a MatMul with a constant R (entries 0, ±1, ±½) plus a constant offset (−1 on the diagonal parameters);</item>
/// <item>grids: the homogeneous identity grid [1, Hout·Wout, 3] (libtorch's <c>affine_grid</c>, computed here with
/// TorchSharp so it is bit-identical) times Mᵀ, sliced, divided by the third coordinate for homographies, reshaped to
/// [N, Hout, Wout, 2].</item>
/// </list>
/// </summary>
internal sealed class OnnxWarpWriter
{
    private readonly OnnxGraphBuilder graph;
    private readonly WarpFamily family;
    private readonly bool alignCorners;
    private readonly int parameterCount;
    private readonly Dictionary<(long H, long W), string> identityGrids = [];
    private string? toMatrix;
    private string? identity;
    private string? fromMatrix;
    private string? fromMatrixOffset;

    public OnnxWarpWriter(OnnxGraphBuilder graph, WarpFamily family, bool alignCorners)
    {
        this.graph = graph;
        this.family = family;
        this.alignCorners = alignCorners;
        parameterCount = family.ParameterCount();
    }

    /// <summary>Zero parameters (the identity warp), [N, P], N taken from <paramref name="batchOf"/>'s first dimension.</summary>
    public string Identity(string batchOf)
    {
        var n = graph.Add("Gather", [graph.Add("Shape", batchOf), graph.Int64Constant(0)], [OnnxGraphBuilder.Int("axis", 0)]);
        var shape = graph.Add("Concat", [n, graph.Int64Constant(parameterCount)], [OnnxGraphBuilder.Int("axis", 0)]);
        return graph.Add("ConstantOfShape", [shape], [FloatZeroValue()]);
    }

    /// <summary>[N, P] → [N, 3, 3] (<see cref="WarpMatrices.ToMatrix"/>).</summary>
    public string ToMatrix(string parameters)
    {
        toMatrix ??= graph.FloatInitializer($"warp_{family}_S".ToLowerInvariant(), ToMatrixCoefficients(family), parameterCount, 9);
        identity ??= graph.FloatInitializer("warp_identity", [1, 0, 0, 0, 1, 0, 0, 0, 1], 9);
        var flat = graph.Add("Add", graph.Add("MatMul", parameters, toMatrix), identity);
        return graph.Add("Reshape", flat, graph.Int64Constant(-1, 3, 3));
    }

    /// <summary>[N, 3, 3] → [N, P] (<see cref="WarpMatrices.FromMatrix"/>: normalized to M[2,2] = 1, then projected).</summary>
    public string FromMatrix(string matrices)
    {
        var corner = graph.Add("Slice", matrices, graph.Int64Constant(2, 2), graph.Int64Constant(3, 3), graph.Int64Constant(1, 2));
        var flat = graph.Add("Reshape", graph.Add("Div", matrices, corner), graph.Int64Constant(-1, 9));
        var (coefficients, offset) = FromMatrixCoefficients(family);
        fromMatrix ??= graph.FloatInitializer($"warp_{family}_R".ToLowerInvariant(), coefficients, 9, parameterCount);
        fromMatrixOffset ??= graph.FloatInitializer($"warp_{family}_offset".ToLowerInvariant(), offset, parameterCount);
        return graph.Add("Add", graph.Add("MatMul", flat, fromMatrix), fromMatrixOffset);
    }

    /// <summary>p ∘ q (<see cref="WarpComposition.Compose"/>): the parameters of M(p)·M(q).</summary>
    public string Compose(string p, string q) => FromMatrix(graph.Add("MatMul", ToMatrix(p), ToMatrix(q)));

    /// <summary>[N, P] → [N, Hout, Wout, 2] sampling grid (<see cref="WarpGrid.ToGrid"/>), scaled by <paramref name="frameScale"/>.</summary>
    public string ToGrid(string parameters, long height, long width, double frameScale = 1)
    {
        var transposed = graph.Add("Transpose", [ToMatrix(parameters)], [OnnxGraphBuilder.Ints("perm", 0, 2, 1)]);
        var mapped = graph.Add("MatMul", HomogeneousIdentityGrid(height, width), transposed); // [N, H·W, 3]
        var xy = graph.Add("Slice", mapped, graph.Int64Constant(0), graph.Int64Constant(2), graph.Int64Constant(2));
        if (family == WarpFamily.Homography)
        {
            var w = graph.Add("Slice", mapped, graph.Int64Constant(2), graph.Int64Constant(3), graph.Int64Constant(2));
            xy = graph.Add("Div", xy, w);
        }
        if (frameScale != 1)
            xy = graph.Add("Mul", xy, graph.FloatScalar("frame_scale", (float)frameScale));
        return graph.Add("Reshape", xy, graph.Int64Constant(-1, height, width, 2));
    }

    /// <summary>[1, H·W, 3]: affine_grid's identity grid with a column of ones, as <see cref="WarpGrid.ToGrid"/> builds it.</summary>
    private string HomogeneousIdentityGrid(long height, long width)
    {
        if (identityGrids.TryGetValue((height, width), out var existing))
            return existing;
        float[] values;
        using (var scope = NewDisposeScope())
        {
            var baseGrid = WarpGrid.IdentityGrid(height, width, alignCorners, ScalarType.Float32, CPU);
            var homogeneous = cat([baseGrid, ones(1, height, width, 1, dtype: ScalarType.Float32)], 3).reshape(1, height * width, 3);
            values = homogeneous.contiguous().data<float>().ToArray();
        }
        var name = graph.FloatInitializer($"identity_grid_{height}x{width}", values, 1, height * width, 3);
        identityGrids[(height, width)] = name;
        return name;
    }

    /// <summary>S (P × 9): M_flat = p·S + I_flat for each family's layout (see <see cref="WarpFamily"/>).</summary>
    internal static float[] ToMatrixCoefficients(WarpFamily family)
    {
        // (parameter, matrix entry, sign) of WarpMatrices.ToMatrix's entries.
        (int P, int Entry, float Sign)[] terms = family switch
        {
            WarpFamily.Translation => [(0, 2, 1), (1, 5, 1)],
            WarpFamily.Similarity => [(0, 0, 1), (1, 1, -1), (2, 2, 1), (1, 3, 1), (0, 4, 1), (3, 5, 1)],
            WarpFamily.Affine => [(0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 4, 1), (5, 5, 1)],
            WarpFamily.Homography => [(0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 4, 1), (5, 5, 1), (6, 6, 1), (7, 7, 1)],
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, $"Unknown {nameof(WarpFamily)}."),
        };
        var s = new float[family.ParameterCount() * 9];
        foreach (var (p, entry, sign) in terms)
            s[p * 9 + entry] = sign;
        return s;
    }

    /// <summary>R (9 × P) and offset (P): p = m_flat·R + offset, the projection of <see cref="WarpMatrices.FromMatrix"/>.</summary>
    internal static (float[] R, float[] Offset) FromMatrixCoefficients(WarpFamily family)
    {
        // (matrix entry, parameter, coefficient) and the offsets, for M(0) − 1, (M(0) + M(4)) / 2 − 1, (M(3) − M(1)) / 2...
        (int Entry, int P, float Coefficient)[] terms;
        float[] offset;
        switch (family)
        {
            case WarpFamily.Translation:
                terms = [(2, 0, 1), (5, 1, 1)];
                offset = [0, 0];
                break;
            case WarpFamily.Similarity:
                terms = [(0, 0, 0.5f), (4, 0, 0.5f), (3, 1, 0.5f), (1, 1, -0.5f), (2, 2, 1), (5, 3, 1)];
                offset = [-1, 0, 0, 0];
                break;
            case WarpFamily.Affine:
                terms = [(0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 4, 1), (5, 5, 1)];
                offset = [-1, 0, 0, 0, -1, 0];
                break;
            case WarpFamily.Homography:
                terms = [(0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 4, 1), (5, 5, 1), (6, 6, 1), (7, 7, 1)];
                offset = [-1, 0, 0, 0, -1, 0, 0, 0];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(family), family, $"Unknown {nameof(WarpFamily)}.");
        }
        int count = family.ParameterCount();
        var r = new float[9 * count];
        foreach (var (entry, p, coefficient) in terms)
            r[entry * count + p] = coefficient;
        return (r, offset);
    }

    private static AttributeProto FloatZeroValue()
    {
        var zero = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        zero.Dims.Add(1);
        zero.FloatData.Add(0f);
        return new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = zero };
    }
}
