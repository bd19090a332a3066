using System.Globalization;
using System.Text.RegularExpressions;

namespace Ml.Trainers.Datasets;

/// <summary>
/// Ids from GTSRB image names: <c>TTTTT_FFFFF.ppm</c> (track, frame) in the training set, <c>NNNNN.ppm</c> in the
/// official test set.
/// </summary>
internal static partial class GtsrbFileName
{
    /// <summary>Parses the name, or returns false when it does not have the form <c>TTTTT_FFFFF.ppm</c>.</summary>
    public static bool TryParse(string fileName, out int trackId, out int frameId)
    {
        var match = TrainingPattern().Match(fileName);
        trackId = frameId = 0;
        return match.Success
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out trackId)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out frameId);
    }

    /// <summary>Parses a test image name, or returns false when it does not have the form <c>NNNNN.ppm</c>.</summary>
    public static bool TryParseNumber(string fileName, out int number)
    {
        var match = TestPattern().Match(fileName);
        number = 0;
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"^([0-9]+)_([0-9]+)\.ppm$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TrainingPattern();

    [GeneratedRegex(@"^([0-9]+)\.ppm$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TestPattern();
}
