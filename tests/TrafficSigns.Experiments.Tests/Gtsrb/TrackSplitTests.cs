using TrafficSigns.Experiments.Gtsrb;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

[TestClass]
public sealed class TrackSplitTests
{
    private static IReadOnlyList<GtsrbSample> All => OfficialLayoutSubset.All;

    [TestMethod]
    public void PutsEachTrackOnOneSideOnly()
    {
        var (train, validation) = TrackSplit.Split(All, 0.2, seed: 1);

        Assert.AreEqual(All.Count, train.Count + validation.Count);
        var trainTracks = train.Select(s => (s.ClassId, s.TrackId)).ToHashSet();
        var validationTracks = validation.Select(s => (s.ClassId, s.TrackId)).ToHashSet();
        Assert.IsFalse(trainTracks.Overlaps(validationTracks), "a (class, track) is on both sides");
        // Every frame of a track follows it: the sides hold all the samples of their tracks.
        Assert.AreEqual(validation.Count, All.Count(s => validationTracks.Contains((s.ClassId, s.TrackId))));
    }

    [TestMethod]
    public void EveryClassWithTwoTracksIsOnBothSides()
    {
        var (train, validation) = TrackSplit.Split(All, 0.2, seed: 1);

        foreach (var group in All.GroupBy(s => s.ClassId).Where(g => g.Select(s => s.TrackId).Distinct().Count() >= 2))
        {
            Assert.IsTrue(train.Any(s => s.ClassId == group.Key), $"class {group.Key} missing from training");
            Assert.IsTrue(validation.Any(s => s.ClassId == group.Key), $"class {group.Key} missing from validation");
        }
    }

    [TestMethod]
    [DataRow(0.1)]
    [DataRow(0.2)]
    [DataRow(0.5)]
    public void ValidationTrackFractionIsNearTheRequest(double fraction)
    {
        var (_, validation) = TrackSplit.Split(All, fraction, seed: 7);

        int tracks = All.Select(s => (s.ClassId, s.TrackId)).Distinct().Count();
        int validationTracks = validation.Select(s => (s.ClassId, s.TrackId)).Distinct().Count();
        double actual = (double)validationTracks / tracks;
        // Per-class rounding (and at least one track per class) moves it by at most half a track per class.
        Assert.IsLessThan(0.5 * 43 / tracks + 1e-9, Math.Abs(actual - fraction), $"validation holds {actual:P1} of the {tracks} tracks");
    }

    [TestMethod]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var a = TrackSplit.Split(All, 0.2, seed: 42);
        var b = TrackSplit.Split(All, 0.2, seed: 42);
        var c = TrackSplit.Split(All, 0.2, seed: 43);

        CollectionAssert.AreEqual(a.Train.ToList(), b.Train.ToList());
        CollectionAssert.AreEqual(a.Validation.ToList(), b.Validation.ToList());
        CollectionAssert.AreNotEqual(a.Validation.ToList(), c.Validation.ToList());
    }

    [TestMethod]
    public void KeepsTheInputOrderOnEachSide()
    {
        var (train, validation) = TrackSplit.Split(All, 0.3, seed: 3);
        var position = All.Select((s, i) => (s, i)).ToDictionary(p => p.s.ImagePath, p => p.i);

        Assert.IsTrue(train.Select(s => position[s.ImagePath]).Order().SequenceEqual(train.Select(s => position[s.ImagePath])));
        Assert.IsTrue(validation.Select(s => position[s.ImagePath]).Order().SequenceEqual(validation.Select(s => position[s.ImagePath])));
    }

    [TestMethod]
    public void ZeroFractionKeepsEverythingInTraining()
    {
        var (train, validation) = TrackSplit.Split(All, 0, seed: 1);

        Assert.HasCount(All.Count, train);
        Assert.IsEmpty(validation);
    }

    [TestMethod]
    public void SmallClassesKeepATrackOnEachSideAndSingleTracksStayInTraining()
    {
        var samples = new List<GtsrbSample>();
        for (int frame = 0; frame < 3; frame++)
        {
            samples.Add(new GtsrbSample($"a/{frame}", ClassId: 0, TrackId: 0, FrameId: frame)); // one track
            samples.Add(new GtsrbSample($"b/{frame}", ClassId: 1, TrackId: 0, FrameId: frame)); // two tracks
            samples.Add(new GtsrbSample($"c/{frame}", ClassId: 1, TrackId: 1, FrameId: frame));
        }

        // 0.01 × 2 tracks rounds to 0 but a class with two tracks gets one; 0.9 × 2 rounds to 2 but one stays in training.
        foreach (double fraction in new[] { 0.01, 0.9 })
        {
            var (train, validation) = TrackSplit.Split(samples, fraction, seed: 5);
            Assert.AreEqual(6, train.Count, $"fraction {fraction}");
            Assert.IsTrue(validation.All(s => s.ClassId == 1) && validation.Select(s => s.TrackId).Distinct().Count() == 1, $"fraction {fraction}");
        }
    }

    [TestMethod]
    [DataRow(1.0)]
    [DataRow(-0.1)]
    [DataRow(double.NaN)]
    public void RejectsAFractionOutsideZeroToOne(double fraction)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrackSplit.Split(Array.Empty<GtsrbSample>(), fraction, seed: 0));
        Assert.AreEqual("validationFraction", e.ParamName);
    }
}
