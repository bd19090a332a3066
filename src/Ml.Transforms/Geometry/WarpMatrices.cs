using Ml.Transforms.Devices;
using static TorchSharp.torch;
using Ml.Transforms.Checks;

namespace Ml.Transforms.Geometry;

/// <summary>Batched conversion between warp parameters (N, P) and 3×3 matrices (N, 3, 3); differentiable.</summary>
public static class WarpMatrices
{
    /// <summary>The matrices of <paramref name="parameters"/> (see <see cref="WarpFamily"/> for the layouts).</summary>
    /// <param name="parameters">(N, P) with P the family's parameter count (2, 4, 6 or 8: see <see cref="WarpFamily"/>); floating point.</param>
    /// <param name="family">The warp family the parameters belong to.</param>
    /// <returns>(N, 3, 3) on the parameters' device, with their dtype.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not a defined <see cref="WarpFamily"/>.</exception>
    public static Tensor ToMatrix(Tensor parameters, WarpFamily family)
    {
        CheckParameters(parameters, family, nameof(parameters));
        var traits = WarpFamilyTraits.Of(family);
        using var scope = NewDisposeScope();
        long n = parameters.shape[0];
        var zero = zeros(n, dtype: parameters.dtype, device: parameters.device);
        var entries = Enumerable.Repeat(zero, 9).ToArray();
        foreach (var t in traits.Terms)
            entries[t.Entry] = t.Sign > 0 ? parameters[.., t.Parameter] : parameters[.., t.Parameter].neg();
        var identity = eye(3, dtype: parameters.dtype, device: parameters.device);
        return stack(entries, 1).view(n, 3, 3).Plus(identity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The parameters of <paramref name="matrix"/> in <paramref name="family"/>. Matrices are first scaled so that
    /// M[2,2] = 1. A matrix outside the family is projected onto it: affine keeps the top two rows, similarity takes the
    /// least-squares closest (1+p0, p1) of its 2×2 block, translation the shift.
    /// </summary>
    /// <param name="matrix">(N, 3, 3), floating point.</param>
    /// <param name="family">The family of the parameters returned.</param>
    /// <returns>(N, P).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not a defined <see cref="WarpFamily"/>.</exception>
    public static Tensor FromMatrix(Tensor matrix, WarpFamily family)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        TensorChecks.Shape(matrix.dim() == 3 && matrix.shape[1] == 3 && matrix.shape[2] == 3, matrix, nameof(matrix), "matrix", "(N, 3, 3)");
        var traits = WarpFamilyTraits.Of(family);
        using var scope = NewDisposeScope();
        var m = (matrix / matrix[.., 2, 2].unsqueeze(1).unsqueeze(2)).reshape(-1, 9);
        var entries = new Tensor[traits.ParameterCount];
        for (int p = 0; p < entries.Length; p++)
        {
            // (Σ Sign·M[Entry]) / (number of terms) + offset: e.g. (M0 + M4) / 2 − 1 for a similarity's p0.
            var own = traits.TermsOf[p];
            var sum = own[0].Sign > 0 ? m[.., own[0].Entry] : m[.., own[0].Entry].neg();
            foreach (var t in own.Skip(1))
                sum = t.Sign > 0 ? sum.Plus(m[.., t.Entry]) : sum - m[.., t.Entry];
            if (own.Length > 1)
                sum = sum.Over(own.Length);
            entries[p] = traits.ProjectionOffset[p] == 0 ? sum : sum.Plus(traits.ProjectionOffset[p]);
        }
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
