using static TorchSharp.torch;
using Ml.Transforms.Checks;

namespace Ml.Transforms.Geometry;

/// <summary>Batched conversion between warp parameters (N, P) and 3×3 matrices (N, 3, 3); differentiable.</summary>
public static class WarpMatrices
{
    /// <summary>The matrices of <paramref name="parameters"/> (see <see cref="WarpFamily"/> for the layouts).</summary>
    /// <param name="parameters">(N, P) with P = <see cref="WarpFamilyExtensions.ParameterCount"/>; floating point.</param>
    /// <param name="family">The warp family the parameters belong to.</param>
    /// <returns>(N, 3, 3) on the parameters' device, with their dtype.</returns>
    public static Tensor ToMatrix(Tensor parameters, WarpFamily family)
    {
        CheckParameters(parameters, family, nameof(parameters));
        using var scope = NewDisposeScope();
        long n = parameters.shape[0];
        var zero = zeros(n, dtype: parameters.dtype, device: parameters.device);
        Tensor P(int i) => parameters[.., i];
        Tensor[] entries = family switch
        {
            WarpFamily.Translation => [zero, zero, P(0), zero, zero, P(1), zero, zero, zero],
            WarpFamily.Similarity => [P(0), P(1).neg(), P(2), P(1), P(0), P(3), zero, zero, zero],
            WarpFamily.Affine => [P(0), P(1), P(2), P(3), P(4), P(5), zero, zero, zero],
            _ => [P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), zero],
        };
        var identity = eye(3, dtype: parameters.dtype, device: parameters.device);
        return (stack(entries, 1).view(n, 3, 3) + identity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The parameters of <paramref name="matrix"/> in <paramref name="family"/>. Matrices are first scaled so that
    /// M[2,2] = 1. A matrix outside the family is projected onto it: affine keeps the top two rows, similarity takes the
    /// least-squares closest (1+p0, p1) of its 2×2 block, translation the shift.
    /// </summary>
    /// <param name="matrix">(N, 3, 3), floating point.</param>
    /// <param name="family">The family of the parameters returned.</param>
    /// <returns>(N, P).</returns>
    public static Tensor FromMatrix(Tensor matrix, WarpFamily family)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        TensorChecks.Shape(matrix.dim() == 3 && matrix.shape[1] == 3 && matrix.shape[2] == 3, matrix, nameof(matrix), "matrix", "(N, 3, 3)");
        using var scope = NewDisposeScope();
        var m = (matrix / matrix[.., 2, 2].unsqueeze(1).unsqueeze(2)).reshape(-1, 9);
        Tensor M(int i) => m[.., i];
        Tensor[] entries = family switch
        {
            WarpFamily.Translation => [M(2), M(5)],
            WarpFamily.Similarity => [(M(0) + M(4)) / 2 - 1, (M(3) - M(1)) / 2, M(2), M(5)],
            WarpFamily.Affine => [M(0) - 1, M(1), M(2), M(3), M(4) - 1, M(5)],
            WarpFamily.Homography => [M(0) - 1, M(1), M(2), M(3), M(4) - 1, M(5), M(6), M(7)],
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, $"Unknown {nameof(WarpFamily)}."),
        };
        return stack(entries, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Zero parameters (the identity) for <paramref name="count"/> warps.</summary>
    public static Tensor Identity(WarpFamily family, long count, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        zeros(count, family.ParameterCount(), dtype: dtype, device: device);

    internal static void CheckParameters(Tensor parameters, WarpFamily family, string name)
    {
        ArgumentNullException.ThrowIfNull(parameters, name);
        int p = family.ParameterCount();
        TensorChecks.Shape(parameters.dim() == 2 && parameters.shape[1] == p, parameters, name, $"{family} warp parameters", $"(N, {p})");
        if (!is_floating_point(parameters))
            throw new ArgumentException($"warp parameters must be floating point; got {parameters.dtype}.", name);
    }
}
