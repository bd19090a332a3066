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
/// identity; S comes from the family's <see cref="WarpFamilyTraits"/>;</item>
/// <item>matrices → parameters: M / M[2,2], then the (linear) projection of <see cref="WarpMatrices.FromMatrix"/>
/// as a MatMul with a constant R (entries 0, ±1, ±½) plus a constant offset (−1 on the diagonal parameters), both
/// from the same table;</item>
/// <item>grids: the homogeneous identity grid [1, Hout·Wout, 3] (libtorch's <c>affine_grid</c>, computed here with
/// TorchSharp so it is bit-identical) times Mᵀ, sliced, divided by the third coordinate for projective families, reshaped to
/// [N, Hout, Wout, 2].</item>
/// </list>
/// </summary>
internal sealed class OnnxWarpWriter
{
    private readonly OnnxGraphBuilder graph;
    private readonly WarpFamily family;
    private readonly WarpFamilyTraits traits;
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
        traits = WarpFamilyTraits.Of(family);
        this.alignCorners = alignCorners;
        parameterCount = traits.ParameterCount;
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
        toMatrix ??= graph.FloatInitializer($"warp_{family}_S".ToLowerInvariant(), traits.ToMatrixCoefficients(), parameterCount, 9);
        identity ??= graph.FloatInitializer("warp_identity", [1, 0, 0, 0, 1, 0, 0, 0, 1], 9);
        var flat = graph.Add("Add", graph.Add("MatMul", parameters, toMatrix), identity);
        return graph.Add("Reshape", flat, graph.Int64Constant(-1, 3, 3));
    }

    /// <summary>[N, 3, 3] → [N, P] (<see cref="WarpMatrices.FromMatrix"/>: normalized to M[2,2] = 1, then projected).</summary>
    public string FromMatrix(string matrices)
    {
        var corner = graph.Add("Slice", matrices, graph.Int64Constant(2, 2), graph.Int64Constant(3, 3), graph.Int64Constant(1, 2));
        var flat = graph.Add("Reshape", graph.Add("Div", matrices, corner), graph.Int64Constant(-1, 9));
        fromMatrix ??= graph.FloatInitializer($"warp_{family}_R".ToLowerInvariant(), traits.FromMatrixCoefficients(), 9, parameterCount);
        fromMatrixOffset ??= graph.FloatInitializer($"warp_{family}_offset".ToLowerInvariant(),
            traits.ProjectionOffset.Select(o => (float)o).ToArray(), parameterCount);
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
        if (traits.IsProjective)
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

    private static AttributeProto FloatZeroValue()
    {
        var zero = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        zero.Dims.Add(1);
        zero.FloatData.Add(0f);
        return new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = zero };
    }
}
