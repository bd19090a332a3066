using System.Globalization;
using TrafficSigns.Training;

namespace TrafficSigns.Data;

/// <summary>The held-out test part of a folder read by header only: its images decoded strictly before evaluation.</summary>
internal static class HeldOutImages
{
    /// <summary>
    /// The held-out test images that decode strictly: the folder was checked by header only, and evaluation decodes with
    /// ML.NET's LoadImages, which would score a truncated file half-decoded. Any left out is named and warned about.
    /// </summary>
    public static List<LabelledImage> Decodable(List<LabelledImage> test, List<string> warnings, CancellationToken cancellation)
    {
        var problems = ImageFileCheck.Problems(test.Select(i => i.ImagePath).ToList(), cancellation);
        var bad = problems.Select((p, i) => (p, i)).Where(x => x.p is not null).ToList();
        if (bad.Count == 0)
            return test;
        SkippedLines.Print(bad.Select(x => (test[x.i].ImagePath, x.p!)).ToList());
        warnings.Add(string.Create(CultureInfo.InvariantCulture,
            $"{bad.Count} held-out test image(s) could not be decoded and are left out of the test: {string.Join("; ", bad.Take(3).Select(x => x.p))}{(bad.Count > 3 ? $"; and {bad.Count - 3} more" : "")}"));
        return test.Where((_, i) => problems[i] is null).ToList();
    }
}
