namespace Ml.Transforms.Geometry;

/// <summary>
/// The warp families, each parameterized so that p = 0 is the identity in the normalized [-1, 1] frame (the convention of
/// Lin and Lucey's inverse-compositional STN). Parameters map an OUTPUT point x to the input point M(p)·x it is read from.
/// </summary>
public enum WarpFamily
{
    /// <summary>2 parameters: [[1, 0, p0], [0, 1, p1], [0, 0, 1]].</summary>
    Translation,

    /// <summary>4 parameters (rotation + uniform scale + shift): [[1+p0, -p1, p2], [p1, 1+p0, p3], [0, 0, 1]].</summary>
    Similarity,

    /// <summary>6 parameters: [[1+p0, p1, p2], [p3, 1+p4, p5], [0, 0, 1]].</summary>
    Affine,

    /// <summary>8 parameters: [[1+p0, p1, p2], [p3, 1+p4, p5], [p6, p7, 1]].</summary>
    Homography,
}

/// <summary>Facts about a <see cref="WarpFamily"/>.</summary>
internal static class WarpFamilyExtensions
{
    /// <summary>Number of parameters P of the family (2, 4, 6 or 8).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not a defined <see cref="WarpFamily"/>.</exception>
    public static int ParameterCount(this WarpFamily family) => WarpFamilyTraits.Of(family).ParameterCount;
}
