namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Training/validation split of GTSRB samples by whole tracks, stratified by class: the ~30 frames of one physical
/// sign are near-duplicates, so a split by image would leak them into validation.
/// </summary>
internal static class TrackSplit
{
    /// <summary>
    /// Splits whole tracks per class. One <c>new Random(seed)</c> shuffles the distinct track ids of each class in turn
    /// (classes in ascending order, track ids sorted before the shuffle), and the first
    /// round(<paramref name="validationFraction"/> × tracks) of them go to validation — at least one when the fraction is
    /// above 0 and the class has two tracks or more, and never all of them, so such a class is on both sides; a class
    /// with a single track stays in training.
    /// </summary>
    /// <param name="samples">The samples; their order is kept on each side.</param>
    /// <param name="validationFraction">Fraction of each class's tracks for validation, in [0, 1).</param>
    /// <param name="seed">Seed of the shuffle; the same seed and samples give the same split.</param>
    /// <returns>The training and validation samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is outside [0, 1).</exception>
    public static (IReadOnlyList<GtsrbSample> Train, IReadOnlyList<GtsrbSample> Validation) Split(
        IReadOnlyList<GtsrbSample> samples, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in [0, 1).");

        var random = new Random(seed);
        var validationTracks = new HashSet<(int ClassId, int TrackId)>();
        foreach (var group in samples.GroupBy(s => s.ClassId).OrderBy(g => g.Key))
        {
            int[] tracks = group.Select(s => s.TrackId).Distinct().Order().ToArray();
            Shuffle(tracks, random);
            int count = ValidationTrackCount(tracks.Length, validationFraction);
            for (int i = 0; i < count; i++)
                validationTracks.Add((group.Key, tracks[i]));
        }

        var train = new List<GtsrbSample>();
        var validation = new List<GtsrbSample>();
        foreach (var sample in samples)
            (validationTracks.Contains((sample.ClassId, sample.TrackId)) ? validation : train).Add(sample);
        return (train.AsReadOnly(), validation.AsReadOnly());
    }

    /// <summary>round(fraction × tracks), at least 1 when fraction &gt; 0 and tracks ≥ 2, at most tracks − 1.</summary>
    internal static int ValidationTrackCount(int tracks, double fraction)
    {
        if (fraction == 0 || tracks < 2)
            return 0;
        int count = (int)Math.Round(fraction * tracks, MidpointRounding.AwayFromZero);
        return Math.Clamp(count, 1, tracks - 1);
    }

    /// <summary>Fisher–Yates, written out so that the order does not depend on the runtime's Random.Shuffle.</summary>
    private static void Shuffle(int[] items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
