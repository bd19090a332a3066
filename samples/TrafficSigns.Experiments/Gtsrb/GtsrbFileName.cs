using System.Globalization;
using System.Text.RegularExpressions;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Ids from GTSRB image names: <c>TTTTT_FFFFF.ppm</c> (track, frame) in the training set, <c>NNNNN.ppm</c> in the
/// official test set; in the Kaggle layout <c>CCCCC_TTTTT_FFFFF.png</c> (class, track, frame) and <c>NNNNN.png</c>.
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

    /// <summary>
    /// Parses a training image name of the Kaggle layout, <c>CCCCC_TTTTT_FFFFF.png</c> (class, track, frame), or returns
    /// false when it does not have that form (<c>.ppm</c>, <c>.jpg</c> and <c>.jpeg</c> are accepted too).
    /// </summary>
    public static bool TryParseKaggleTraining(string fileName, out int classId, out int trackId, out int frameId)
    {
        var match = KaggleTrainingPattern().Match(fileName);
        classId = trackId = frameId = 0;
        return match.Success
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out classId)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out trackId)
            && int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out frameId);
    }

    /// <summary>Parses a test image name of the Kaggle layout, <c>NNNNN.png</c>, or returns false when it does not have that form.</summary>
    public static bool TryParseKaggleTest(string fileName, out int number)
    {
        var match = KaggleTestPattern().Match(fileName);
        number = 0;
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"^([0-9]+)_([0-9]+)_([0-9]+)\.(png|ppm|jpg|jpeg)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KaggleTrainingPattern();

    [GeneratedRegex(@"^([0-9]+)\.(png|ppm|jpg|jpeg)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KaggleTestPattern();

    [GeneratedRegex(@"^([0-9]+)_([0-9]+)\.ppm$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TrainingPattern();

    [GeneratedRegex(@"^([0-9]+)\.ppm$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TestPattern();
}
