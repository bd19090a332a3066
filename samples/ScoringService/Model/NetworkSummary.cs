using System.Text.RegularExpressions;

namespace ScoringService.Model;

/// <summary>
/// The architecture, warp, training sampler and downsampling of a trained network, read from its graph's description
/// (<c>StnOnnxGraphDescription.Summary</c>, e.g. "SpatialClassifier (InverseCompositionalStn, Homography warp,
/// Linearized sampler, 2x downsampling), inference graph.").
/// </summary>
public sealed partial record NetworkSummary(string? Architecture, string? Warp, string? Sampler, int? Downsampling)
{
    /// <summary>Reads <paramref name="summary"/>; fields it does not state are null.</summary>
    public static NetworkSummary Parse(string summary)
    {
        var match = Pattern().Match(summary);
        return match.Success
            ? new NetworkSummary(match.Groups["architecture"].Value, match.Groups["warp"].Value, match.Groups["sampler"].Value,
                int.Parse(match.Groups["downsampling"].Value, System.Globalization.CultureInfo.InvariantCulture))
            : new NetworkSummary(null, null, null, null);
    }

    [GeneratedRegex(@"\((?<architecture>[A-Za-z]+), (?<warp>[A-Za-z]+) warp, (?<sampler>[A-Za-z]+) sampler, (?<downsampling>\d+)x downsampling\)")]
    private static partial Regex Pattern();
}
