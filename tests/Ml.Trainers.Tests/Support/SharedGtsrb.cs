using Ml.Trainers.Datasets;

namespace Ml.Trainers.Tests.Support;

/// <summary>The shared GTSRB training annotations, read once for all test classes.</summary>
internal static class SharedGtsrb
{
    private static readonly Lazy<IReadOnlyList<GtsrbSample>> _all = new(() => GtsrbReader.ReadTraining(SharedData.GtsrbRoot));

    /// <summary>All 39,209 samples of ../shared/data/gtsrb.</summary>
    public static IReadOnlyList<GtsrbSample> All => _all.Value;

    /// <summary>The first <paramref name="perClass"/> samples of each class: a few hundred images to decode.</summary>
    public static IReadOnlyList<GtsrbSample> FirstOfEachClass(int perClass) =>
        All.GroupBy(s => s.ClassId).SelectMany(g => g.Take(perClass)).ToList();
}
