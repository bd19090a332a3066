using System.Globalization;
using Ml.Trainers.Data;

namespace TrafficSigns.Data;

/// <summary>
/// Whether an image folder looks grouped — frames of one video, shots of one burst, photos of one session — in a way a
/// split by image would cut through: images in subfolders below their label folder, or file names that share a prefix
/// before their last '_' (GTSRB's <c>00012_00029.png</c> is frame 29 of track 12). Such neighbours on both sides of a
/// split make validation (keep-best, early stopping) and the test score optimistic.
/// </summary>
internal static class GroupedDataHint
{
    /// <summary>The share of images that must show the pattern, the images per group and the groups per label (on average) before it is named.</summary>
    private const double MinShare = 0.5;

    private const double MinImagesPerGroup = 2;

    private const double MinGroupsPerLabel = 2;

    /// <summary>A sentence naming the pattern and the option that keeps its groups together, or null when the images look independent.</summary>
    public static string? For(ImageFolder folder)
    {
        int n = folder.Images.Count;
        if (n == 0)
            return null;
        var inSubfolders = folder.Images.Select(i => (i.Label, Group: ImageGroups.Folder(folder.Folder, i))).Where(g => g.Group is not null).ToList();
        int subfolders = inSubfolders.Distinct().Count();
        if (Grouped(inSubfolders.Count, subfolders, n, folder.Labels.Count))
            return string.Create(CultureInfo.InvariantCulture,
                $"{inSubfolders.Count:N0} of {n:N0} images sit in {subfolders:N0} subfolders below their label folders (e.g. '{inSubfolders[0].Group}/'): if each subfolder is one sequence, burst or session, add --group folder to keep each on one side of the split.");
        var prefixed = folder.Images.Select(i => (i.Label, Group: ImageGroups.Prefix(i.Path))).Where(g => g.Group is not null).ToList();
        int prefixes = prefixed.Distinct().Count();
        if (Grouped(prefixed.Count, prefixes, n, folder.Labels.Count))
            return string.Create(CultureInfo.InvariantCulture,
                $"{prefixed.Count:N0} of {n:N0} file names share {prefixes:N0} prefixes before their last '_' (e.g. '{prefixed[0].Group}_…'), as frames of one video or shots of one burst do: if so, add --group prefix to keep each on one side of the split.");
        return null;
    }

    private static bool Grouped(int images, int groups, int total, int labels) =>
        images >= MinShare * total && groups >= MinGroupsPerLabel * labels && images >= MinImagesPerGroup * groups;
}
