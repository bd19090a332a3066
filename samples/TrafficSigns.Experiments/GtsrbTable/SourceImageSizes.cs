using System.Globalization;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>
/// The sizes of the image files an experiment decoded, before they were resized to its input size: which images it
/// used — GTSRB at its original sizes (25–266 px a side, e.g. the Kaggle layout), each resized once, or copies that
/// someone pre-resized to one size (the 32×32 copy in ../shared), upsampled again.
/// </summary>
/// <param name="Count">Images decoded.</param>
/// <param name="SmallestSide">The smallest width or height.</param>
/// <param name="MedianSide">The median of all widths and heights.</param>
/// <param name="LargestSide">The largest width or height.</param>
/// <param name="Resized">Images whose size differed from the input size (resized once).</param>
/// <param name="SingleSize">The one size every image had, or null when sizes vary.</param>
internal sealed record SourceImageSizes(int Count, int SmallestSide, int MedianSide, int LargestSide, int Resized, (int Width, int Height)? SingleSize)
{
    /// <summary>The filter of <c>GtsrbTensors.ToImageTensor</c>, named for the reports.</summary>
    public const string Filter =
        "bilinear filter, antialiased when downscaling, as PIL's resize(BILINEAR) that the IC-STN code's scipy.misc.imresize calls; libtorch interpolate";

    /// <summary>Summarises the decoded sizes against the input size <paramref name="size"/>×<paramref name="size"/>.</summary>
    public static SourceImageSizes Of(IReadOnlyCollection<(int Width, int Height)> sizes, int size)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sizes.Count);
        var sides = sizes.SelectMany(s => new[] { s.Width, s.Height }).Order().ToArray();
        var distinct = sizes.Distinct().Take(2).ToArray();
        return new SourceImageSizes(sizes.Count, sides[0], sides[sides.Length / 2], sides[^1],
            sizes.Count(s => s.Width != size || s.Height != size), distinct.Length == 1 ? distinct[0] : null);
    }

    /// <summary>Whether the images came at more than one size, as GTSRB's originals do.</summary>
    public bool OriginalSizes => SingleSize is null;

    /// <summary>One phrase for the console and the reports, e.g. "original sizes (25–266 px a side, median 44), each resized once to 50×50 (…)".</summary>
    public string Describe(int size)
    {
        var inv = CultureInfo.InvariantCulture;
        if (Resized == 0)
            return string.Create(inv, $"{size}×{size} image files, used as they are (not resized)");
        if (SingleSize is var (w, h))
            return string.Create(inv,
                $"{w}×{h} image files (copies pre-resized from GTSRB's original sizes), {(w * h < size * size ? "upsampled" : "resized")} to {size}×{size} ({Filter})");
        return string.Create(inv,
            $"GTSRB at its original sizes ({SmallestSide}–{LargestSide} px a side, median {MedianSide}), each image resized once to {size}×{size} " +
            $"({Resized} of {Count} resized; {Filter})");
    }
}
