using Ml.Transforms.Geometry;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Geometry;

/// <summary>A value of <see cref="WarpFamily"/> with no member is refused by every public entry point, never read as another family.</summary>
[TestClass]
public sealed class UndefinedWarpFamilyTests
{
    private const WarpFamily Undefined = (WarpFamily)99;

    private static readonly Dictionary<string, Action> Calls = new()
    {
        ["ParameterCount"] = () => Undefined.ParameterCount(),
        ["Identity"] = () => WarpMatrices.Identity(Undefined, 2).Dispose(),
        ["ToMatrix"] = () => { using var p = zeros(2, 8); WarpMatrices.ToMatrix(p, Undefined).Dispose(); },
        ["FromMatrix"] = () => { using var m = eye(3).expand(2, 3, 3); WarpMatrices.FromMatrix(m, Undefined).Dispose(); },
        ["Compose"] = () => { using var p = zeros(2, 8); WarpComposition.Compose(p, p, Undefined).Dispose(); },
        ["Inverse"] = () => { using var p = zeros(2, 8); WarpComposition.Inverse(p, Undefined).Dispose(); },
        ["TransformPoints"] = () => { using var p = zeros(2, 8); using var x = zeros(2, 4, 2); WarpComposition.TransformPoints(p, x, Undefined).Dispose(); },
        ["Fit"] = () => { using var x = WarpFitting.CanonicalCorners().expand(2, 4, 2); WarpFitting.Fit(Undefined, x, x).Dispose(); },
        ["ToGrid"] = () => { using var p = zeros(2, 8); WarpGrid.ToGrid(p, Undefined, 4, 4).Dispose(); },
        ["Perturbation"] = () => WarpPerturbation.Sample(Undefined, 2).Dispose(),
    };

    public static IEnumerable<object[]> EntryPoints => Calls.Keys.Select(name => new object[] { name });

    [TestMethod]
    [DynamicData(nameof(EntryPoints))]
    public void IsRefusedNamingTheValue(string name)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(Calls[name], name);
        Assert.AreEqual("family", e.ParamName, name);
        StringAssert.Contains(e.Message, "Unknown WarpFamily 99", name);
        StringAssert.Contains(e.Message, "Homography", name);
    }
}
