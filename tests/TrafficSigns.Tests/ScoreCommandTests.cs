namespace TrafficSigns.Tests;

[TestClass]
public sealed class ScoreCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ScoreNamesTheFilesItCannotDecodeAndScoresNothing()
    {
        // Before: ML.NET's "Invalid path" from inside LoadImages, with no file named.
        using var run = new SampleProcess();
        var model = Directory.CreateDirectory(Path.Combine(run.Output, "model")).FullName;
        var (zip, _) = TinyModel.Train(model);
        var images = Directory.CreateDirectory(Path.Combine(run.Output, "to-score")).FullName;
        File.Copy(Path.Combine(model, "0.png"), Path.Combine(images, "good.png"));
        File.WriteAllText(Path.Combine(images, "broken.png"), "this is not a picture");

        var (code, log) = run.Run("score", "--model", zip, "--images", images);
        TestContext.WriteLine(log);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "1 of 2 file(s) could not be decoded");
        StringAssert.Contains(log, $"Image file '{Path.Combine(images, "broken.png")}' could not be decoded: its 21 bytes are not a PNG, JPEG, BMP, GIF or WebP image");
        Assert.IsFalse(File.Exists(Path.Combine(run.Output, "scores.csv")), "nothing was scored");

        File.Delete(Path.Combine(images, "broken.png"));
        (code, log) = run.Run("score", "--model", zip, "--images", images);
        Assert.AreEqual(0, code, log);
        Assert.HasCount(2, File.ReadAllLines(Path.Combine(run.Output, "scores.csv")), "header and the good image");
    }
}
