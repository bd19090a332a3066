using MlLinearized.TestSupport;
using Ml.Trainers.Datasets;

namespace Ml.Trainers.Tests.Support;

/// <summary>The repository's built-in GTSRB subset (data/gtsrb-subset), read once for all test classes.</summary>
internal static class BuiltInGtsrb
{
    private static readonly Lazy<IReadOnlyList<GtsrbSample>> _all = new(() => GtsrbReader.ReadTraining(TestData.GtsrbRoot));

    /// <summary>All 2,614 samples: 1,307 tracks of 43 classes, 2 frames each.</summary>
    public static IReadOnlyList<GtsrbSample> All => _all.Value;

    /// <summary>The first <paramref name="perClass"/> samples of each class: a few hundred images to decode.</summary>
    public static IReadOnlyList<GtsrbSample> FirstOfEachClass(int perClass) =>
        All.GroupBy(s => s.ClassId).SelectMany(g => g.Take(perClass)).ToList();
}
