using System.Globalization;
using System.Text.RegularExpressions;

namespace Ml.Trainers.Datasets;

/// <summary>Track and frame ids from a GTSRB image name <c>TTTTT_FFFFF.ppm</c>.</summary>
internal static partial class GtsrbFileName
{
    /// <summary>Parses the name, or returns false when it does not have the form <c>TTTTT_FFFFF.ppm</c>.</summary>
    public static bool TryParse(string fileName, out int trackId, out int frameId)
    {
        var match = Pattern().Match(fileName);
        trackId = frameId = 0;
        return match.Success
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out trackId)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out frameId);
    }

    [GeneratedRegex(@"^([0-9]+)_([0-9]+)\.ppm$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
