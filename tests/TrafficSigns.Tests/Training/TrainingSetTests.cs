using TrafficSigns.Training;

namespace TrafficSigns.Tests.Training;

/// <summary>
/// Issue 30, item 2: images found damaged only when the trainer decodes them are left out there; a label that lost
/// every training image that way is named, never trained on silently.
/// </summary>
[TestClass]
public sealed class TrainingSetTests
{
    private static TrainingSet Set() => new("t", "s",
        [new("/a/1.jpg", "a"), new("/a/2.jpg", "a"), new("/b/1.jpg", "b"), new("/c/1.jpg", "c"), new("/c/2.jpg", "c")],
        [new("/a/3.jpg", "a")], [new("/b/2.jpg", "b")], "split", "held-out");

    [TestMethod]
    public void ALabelWhoseEveryTrainingImageWasSkippedIsNamed()
    {
        var set = Set();
        CollectionAssert.AreEqual(new[] { "b", "c" }, set.LabelsWithoutReadableTrainingImages(["/c/2.jpg", "/a/1.jpg", "/b/1.jpg", "/c/1.jpg"]).ToArray());
        StringAssert.StartsWith(set.UnlearnedLabelsWarning(["/b/1.jpg"]), "every training image of label(s) 'b' was damaged and left out");
    }

    [TestMethod]
    public void NothingIsSaidWhileEveryLabelKeepsAReadableTrainingImage()
    {
        var set = Set();
        Assert.IsEmpty(set.LabelsWithoutReadableTrainingImages([]));
        Assert.IsNull(set.UnlearnedLabelsWarning(["/a/1.jpg", "/c/2.jpg", "/a/3.jpg", "/b/2.jpg"]), "validation and test images do not count");
    }
}
