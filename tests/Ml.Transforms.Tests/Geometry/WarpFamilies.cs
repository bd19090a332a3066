using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

/// <summary>Seeded random warps of each family for the geometry tests.</summary>
internal static class WarpFamilies
{
    public static readonly WarpFamily[] All = Enum.GetValues<WarpFamily>();

    public static IEnumerable<object[]> Data => All.Select(f => new object[] { f });

    /// <summary>Random parameters (N, P) ~ N(0, scale²) in float64.</summary>
    public static Tensor Random(WarpFamily family, long n, long seed, double scale = 0.1)
    {
        using var g = new Generator((ulong)seed);
        return randn(new[] { n, (long)family.ParameterCount() }, ScalarType.Float64, generator: g).Times(scale);
    }
}
