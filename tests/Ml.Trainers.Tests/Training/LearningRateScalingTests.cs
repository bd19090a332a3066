using Ml.Trainers.Training;

namespace Ml.Trainers.Tests.Training;

[TestClass]
public sealed class LearningRateScalingTests
{
    [TestMethod]
    public void WarmUpThenTheSchedule()
    {
        Assert.AreEqual(0.25, LearningRateScaling.Factor(LearningRateSchedule.Cosine, 0, 100, 4), 1e-15);
        Assert.AreEqual(1, LearningRateScaling.Factor(LearningRateSchedule.Constant, 50, 100, 4), 1e-15);
        Assert.AreEqual(0.5, LearningRateScaling.Factor(LearningRateSchedule.Cosine, 52, 100, 4), 1e-12);
    }

    [TestMethod]
    public void AnUndefinedScheduleIsRefusedAfterTheWarmUp()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateScaling.Factor((LearningRateSchedule)99, 10, 100, 4));
        Assert.AreEqual("schedule", e.ParamName);
        StringAssert.Contains(e.Message, "Unknown LearningRateSchedule 99");
    }
}
