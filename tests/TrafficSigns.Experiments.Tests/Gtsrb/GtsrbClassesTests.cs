using TrafficSigns.Experiments.Gtsrb;

namespace TrafficSigns.Experiments.Tests.Gtsrb;

[TestClass]
public sealed class GtsrbClassesTests
{
    [TestMethod]
    public void HasTheFortyThreeOfficialNames()
    {
        Assert.HasCount(43, GtsrbClasses.Names);
        Assert.AreEqual(GtsrbClasses.Count, GtsrbClasses.Names.Count);
        Assert.AreEqual("Speed limit (20km/h)", GtsrbClasses.Name(0));
        Assert.AreEqual("Speed limit (30km/h)", GtsrbClasses.Name(1));
        Assert.AreEqual("Stop", GtsrbClasses.Name(14));
        Assert.AreEqual("No entry", GtsrbClasses.Name(17));
        Assert.AreEqual("End of no passing by vehicles over 3.5 metric tons", GtsrbClasses.Name(42));
        Assert.HasCount(43, GtsrbClasses.Names.Distinct());
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(43)]
    public void RejectsUnknownClassIds(int classId)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GtsrbClasses.Name(classId));
        StringAssert.Contains(e.Message, "0..42");
    }
}
