using Ml.Transforms.Training;

namespace Ml.Transforms.Tests.Training;

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
    public void TheAlignmentsCosineEndsAtTheFinalFractionOnTheLastStep()
    {
        Assert.AreEqual(1, LearningRateScaling.CosineToFraction(0, 11, 0.05), 1e-15);
        Assert.AreEqual(0.525, LearningRateScaling.CosineToFraction(5, 11, 0.05), 1e-12);
        Assert.AreEqual(0.05, LearningRateScaling.CosineToFraction(10, 11, 0.05), 1e-15);
        Assert.AreEqual(1, LearningRateScaling.CosineToFraction(0, 1, 0.05), 1e-15, "a one-step stage runs at the full rate");
        Assert.AreEqual(1, LearningRateScaling.CosineToFraction(7, 11, 1), 1e-15, "fraction 1 is constant");
    }

    [TestMethod]
    public void AnUndefinedScheduleIsRefusedAfterTheWarmUp()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateScaling.Factor((LearningRateSchedule)99, 10, 100, 4));
        Assert.AreEqual("schedule", e.ParamName);
        StringAssert.Contains(e.Message, "Unknown LearningRateSchedule 99");
    }
}
