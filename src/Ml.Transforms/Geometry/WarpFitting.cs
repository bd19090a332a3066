using Ml.Transforms.Devices;
using static TorchSharp.torch;
using Ml.Transforms.Checks;

namespace Ml.Transforms.Geometry;

/// <summary>
/// Warps fitted to point correspondences: the four-point homography (DLT, exact for 4 points in general position,
/// least squares for more) and linear least-squares fits of the smaller families. Solved in float64.
/// </summary>
public static class WarpFitting
{
    /// <summary>The parameters p with M(p)·source ≈ target (least squares; exact where the family allows it).</summary>
    /// <param name="family">The family to fit.</param>
    /// <param name="source">(N, K, 2) normalized points; K ≥ 1 (translation), ≥ 2 (similarity), ≥ 3 (affine), ≥ 4 (homography).</param>
    /// <param name="target">(N, K, 2), the points they must map to.</param>
    /// <returns>(N, P) with the dtype and device of <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not a defined <see cref="WarpFamily"/>.</exception>
    public static Tensor Fit(WarpFamily family, Tensor source, Tensor target)
    {
        var traits = WarpFamilyTraits.Of(family);
        CheckPoints(source, target, traits.MinimumFitPoints, family);
        using var scope = NewDisposeScope();
        var x = source[.., .., 0].to(ScalarType.Float64);
        var y = source[.., .., 1].to(ScalarType.Float64);
        var u = target[.., .., 0].to(ScalarType.Float64);
        var v = target[.., .., 1].to(ScalarType.Float64);
        var one = ones_like(x);
        var zero = zeros_like(x);
        // The DLT rows in the matrix entries m0..m7 (m8 = 1): u(m6 x + m7 y + 1) = m0 x + m1 y + m2, likewise for v.
        var entries = cat([
            stack([x, y, one, zero, zero, zero, (u * x).neg(), (u * y).neg()], 2),
            stack([zero, zero, zero, x, y, one, (v * x).neg(), (v * y).neg()], 2)], 1);
        Tensor Entry(int e) => entries[.., .., e];
        // In the family's unknowns q = p − offset (WarpFamilyTraits.FixedEntries): each column sums its terms' entries.
        var columns = traits.TermsOf.Select(own =>
            own.Skip(1).Aggregate(own[0].Sign > 0 ? Entry(own[0].Entry) : Entry(own[0].Entry).neg(),
                (sum, t) => t.Sign > 0 ? sum.Plus(Entry(t.Entry)) : sum - Entry(t.Entry))).ToArray();
        var rhs = cat([u, v], 1);
        for (int e = 0; e < 8; e++)
        {
            if (traits.FixedEntries[e] != 0)
                rhs = rhs - Entry(e).Times(traits.FixedEntries[e]);
        }
        var solution = Solve(stack(columns, 2), rhs);
        var offset = tensor(traits.ProjectionOffset.ToArray(), device: solution.device);
        return solution.Plus(offset).to(source.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The four-point homography (DLT) taking each <paramref name="source"/> quadrilateral to its <paramref name="target"/>.</summary>
    /// <param name="source">(N, 4, 2).</param>
    /// <param name="target">(N, 4, 2).</param>
    /// <returns>(N, 8) homography parameters.</returns>
    public static Tensor FitHomography(Tensor source, Tensor target)
    {
        if (source.dim() == 3 && source.shape[1] != 4)
            throw new ArgumentException($"The four-point homography needs exactly 4 points per warp; got {source.shape[1]}. Use Fit(WarpFamily.Homography, ...) for a least-squares fit to more.", nameof(source));
        return Fit(WarpFamily.Homography, source, target);
    }

    /// <summary>The corners of the normalized square, (-1,-1), (-1,1), (1,1), (1,-1), as (1, 4, 2).</summary>
    public static Tensor CanonicalCorners(ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        tensor(new double[] { -1, -1, -1, 1, 1, 1, 1, -1 }, dtype: dtype, device: device).view(1, 4, 2);

    private static Tensor Solve(Tensor a, Tensor b)
    {
        // Square systems are solved directly; larger ones through the normal equations (well conditioned here: the
        // points live in [-1, 1]).
        var rhs = b.unsqueeze(2);
        var solution = a.shape[1] == a.shape[2]
            ? linalg.solve(a, rhs)
            : linalg.solve(a.transpose(1, 2).matmul(a), a.transpose(1, 2).matmul(rhs));
        return solution.squeeze(2);
    }

    private static void CheckPoints(Tensor source, Tensor target, int minimum, WarpFamily family)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        TensorChecks.Shape(source.dim() == 3 && source.shape[2] == 2, source, nameof(source), "source points", "(N, K, 2)");
        if (!source.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"target points must have the shape of source [{string.Join(", ", source.shape)}]; got [{string.Join(", ", target.shape)}].", nameof(target));
        if (source.shape[1] < minimum)
            throw new ArgumentException($"A {family} fit needs at least {minimum} point pairs; got {source.shape[1]}.", nameof(source));
        if (!is_floating_point(source) || !is_floating_point(target))
            throw new ArgumentException("Points must be floating point.", nameof(source));
    }
}
