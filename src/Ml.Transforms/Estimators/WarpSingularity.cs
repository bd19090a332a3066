using Ml.Transforms.Geometry;
using static TorchSharp.torch;

namespace Ml.Transforms.Estimators;

/// <summary>Rejects warps whose matrix is singular (|det| below 1e-6): they would collapse the image onto a line or point.</summary>
internal static class WarpSingularity
{
    public const double MinimumDeterminant = 1e-6;

    public static void ThrowIfSingular(float[] parameters, WarpFamily family, string name)
    {
        using var scope = NewDisposeScope();
        var m = WarpMatrices.ToMatrix(tensor(parameters.Select(v => (double)v).ToArray()).view(1, -1), family);
        double det = linalg.det(m).item<double>();
        if (!(Math.Abs(det) >= MinimumDeterminant))
            throw new ArgumentException(
                $"The {family} warp [{string.Join(", ", parameters)}] is singular (determinant {det:G3}): it maps the image onto a line or a point. Check the parameters (p = 0 is the identity).",
                name);
    }
}
