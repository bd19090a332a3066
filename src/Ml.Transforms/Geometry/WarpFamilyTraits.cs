using Ml.Transforms.Checks;

namespace Ml.Transforms.Geometry;

/// <summary>One term of a warp family's matrix: entry <c>Entry</c> (row-major, 0–7) of M(p) − I is <c>Sign</c>·p[<c>Parameter</c>].</summary>
internal readonly record struct WarpMatrixTerm(int Parameter, int Entry, int Sign);

/// <summary>
/// What a <see cref="WarpFamily"/> means, in one table that every user of a family reads: the TorchSharp geometry
/// (<see cref="WarpMatrices"/>, <see cref="WarpFitting"/>, <see cref="WarpGrid"/>) and the ONNX writer. Each family is
/// its matrix terms, M(p) = I + Σ Sign·p[Parameter] at Entry (see <see cref="WarpFamily"/> for the layouts); the rest
/// follows from them:
/// <list type="bullet">
/// <item>the parameter count;</item>
/// <item>the projection of a matrix onto the family (<see cref="WarpMatrices.FromMatrix"/>): the least-squares closest
/// parameters, p_i = (Σ Sign·M[Entry] over p_i's terms) / (their number) + <see cref="ProjectionOffset"/>, which is
/// exact because no matrix entry belongs to two parameters;</item>
/// <item>whether the grid needs a perspective divide (a term in the bottom row);</item>
/// <item>the least-squares fit: the fewest point pairs (two equations each), and <see cref="FixedEntries"/>.</item>
/// </list>
/// Adding a family is adding an entry to the table; an enum value without one is refused by <see cref="Of"/>.
/// </summary>
internal sealed class WarpFamilyTraits
{
    private static readonly Dictionary<WarpFamily, WarpFamilyTraits> Table = new WarpFamilyTraits[]
    {
        new(WarpFamily.Translation, 2, [new(0, 2, 1), new(1, 5, 1)]),
        new(WarpFamily.Similarity, 4, [new(0, 0, 1), new(1, 1, -1), new(2, 2, 1), new(1, 3, 1), new(0, 4, 1), new(3, 5, 1)]),
        new(WarpFamily.Affine, 6, Diagonal(6)),
        new(WarpFamily.Homography, 8, Diagonal(8)),
    }.ToDictionary(t => t.Family);

    private WarpFamilyTraits(WarpFamily family, int parameterCount, WarpMatrixTerm[] terms)
    {
        Family = family;
        ParameterCount = parameterCount;
        Terms = terms;
        Check();
        TermsOf = Enumerable.Range(0, parameterCount)
            .Select(p => terms.Where(t => t.Parameter == p).OrderBy(t => t.Entry).ToArray()).ToArray();
        ProjectionOffset = TermsOf.Select(own => 0.0 - own.Sum(t => t.Sign * Identity(t.Entry)) / own.Length).ToArray();
        FixedEntries = Enumerable.Range(0, 8)
            .Select(e => Identity(e) + terms.Where(t => t.Entry == e).Sum(t => t.Sign * ProjectionOffset[t.Parameter])).ToArray();
    }

    /// <summary>The family.</summary>
    public WarpFamily Family { get; }

    /// <summary>Number of parameters P.</summary>
    public int ParameterCount { get; }

    /// <summary>The matrix terms, in the order <see cref="WarpMatrices.ToMatrix"/> documents them.</summary>
    public IReadOnlyList<WarpMatrixTerm> Terms { get; }

    /// <summary>For each parameter, its terms by entry.</summary>
    public IReadOnlyList<WarpMatrixTerm[]> TermsOf { get; }

    /// <summary>
    /// The constant of the projection (P): the parameters of the zero matrix, −(Σ Sign·I[Entry]) / (number of terms)
    /// for each parameter; −1 for a parameter on the diagonal, e.g. 1 + p0.
    /// </summary>
    public IReadOnlyList<double> ProjectionOffset { get; }

    /// <summary>
    /// Entries 0–7 of M(<see cref="ProjectionOffset"/>): with q = p − offset, M(p) = FixedEntries + Σ Sign·q at Entry.
    /// The fits solve for q (the family's own entries, e.g. 1 + p0, as the DLT does) and move these to the right-hand
    /// side: zero for families whose parameters hold the whole diagonal, the unit diagonal for translations.
    /// </summary>
    public IReadOnlyList<double> FixedEntries { get; }

    /// <summary>Whether the warp is projective (a term in the bottom row), so the grid divides by the third coordinate.</summary>
    public bool IsProjective => Terms.Any(t => t.Entry >= 6);

    /// <summary>The fewest point pairs a fit needs: each gives two equations, one per coordinate.</summary>
    public int MinimumFitPoints => (ParameterCount + 1) / 2;

    /// <summary>The table's entry for <paramref name="family"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not a defined <see cref="WarpFamily"/>.</exception>
    public static WarpFamilyTraits Of(WarpFamily family) => Table.TryGetValue(family, out var traits)
        ? traits
        : throw UnknownEnum.Value(family, nameof(family));

    /// <summary>S (P × 9, row-major): M_flat = p·S + I_flat.</summary>
    public float[] ToMatrixCoefficients()
    {
        var s = new float[ParameterCount * 9];
        foreach (var t in Terms)
            s[t.Parameter * 9 + t.Entry] = t.Sign;
        return s;
    }

    /// <summary>R (9 × P, row-major): p = m_flat·R + <see cref="ProjectionOffset"/>, for m normalized to M[2,2] = 1.</summary>
    public float[] FromMatrixCoefficients()
    {
        var r = new float[9 * ParameterCount];
        foreach (var t in Terms)
            r[t.Entry * ParameterCount + t.Parameter] = (float)t.Sign / TermsOf[t.Parameter].Length;
        return r;
    }

    private static double Identity(int entry) => entry is 0 or 4 or 8 ? 1 : 0;

    private static WarpMatrixTerm[] Diagonal(int count) => Enumerable.Range(0, count).Select(i => new WarpMatrixTerm(i, i, 1)).ToArray();

    /// <summary>The table's invariants: each parameter in a term, each entry 0–7 in at most one, signs ±1.</summary>
    private void Check()
    {
        string? problem =
            Terms.Any(t => t.Parameter < 0 || t.Parameter >= ParameterCount) ? "a term names a parameter outside 0..P-1"
            : Terms.Any(t => t.Entry is < 0 or > 7) ? "a term names an entry outside 0..7 (M[2,2] stays 1)"
            : Terms.Any(t => t.Sign is not (1 or -1)) ? "a sign is not ±1"
            : Terms.GroupBy(t => t.Entry).Any(g => g.Count() > 1) ? "two terms share a matrix entry"
            : Enumerable.Range(0, ParameterCount).Any(p => Terms.All(t => t.Parameter != p)) ? "a parameter has no term"
            : null;
        if (problem is not null)
            throw new InvalidOperationException($"The {Family} warp family's table entry is invalid: {problem}.");
    }
}
