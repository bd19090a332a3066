namespace TrafficSigns.Tests;

[TestClass]
public sealed class CommandLineTests
{
    [TestMethod]
    [DataRow("--downsampling")]
    [DataRow("--factors")]
    [DataRow("--factor")]
    public void EveryCommandReadsTheDownsamplingFactorsUnderOneNameAndTheOldSpellingsStillWork(string spelling)
    {
        var options = CommandLine.Parse([spelling, "4,8"]);
        Assert.AreEqual("4,8", options.Get("downsampling", "1"));
        Assert.AreEqual("none", options.Get(spelling[2..] == "downsampling" ? "factors" : spelling[2..], "none"), "stored under the one name only");
    }
}
