namespace TrafficSigns.Tests;

/// <summary><c>train --images</c> and <c>score</c> on a folder with one subfolder per label, end to end in a child process.</summary>
[TestClass]
public sealed class TrainOnImageFolderTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void TrainsOnAFolderPerLabelAndScoresLabelledAndLooseImages()
    {
        using var run = new SampleProcess();
        var images = ShapeImages.Write(Path.Combine(run.Output, "shapes"), perLabel: 30);
        File.WriteAllText(Path.Combine(images, "disc", "broken.png"), "not a picture");
        File.WriteAllText(Path.Combine(images, "disc", ".DS_Store"), "finder");
        var (code, log) = run.Run("train", "--images", images, "--epochs", "4");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "90 images in 3 labels; skipped 2: 1 hidden, 1 could not be decoded");
        StringAssert.Contains(log, $"skipped {Path.Combine(images, "disc", "broken.png")}: Image file");
        StringAssert.Contains(log, "train 63, validation 9, test 18 (held-out images; stratified by label, seed 0: validation 10%, test 20%)");
        StringAssert.Contains(log, "Test: micro accuracy");
        // libtorch's NNPACK warning, where NNPACK cannot run: once per process (the numerics check turns NNPACK off;
        // before, 24 lines a run). Two processes when the sample restarts itself with DNNL_MAX_CPU_ISA=SSE41.
        int nnpackLines = System.Text.RegularExpressions.Regex.Count(log, @"NNPACK\.cpp:\d+\] Could not initialize NNPACK");
        Assert.IsLessThanOrEqualTo(log.Contains("Restarting with DNNL_MAX_CPU_ISA", StringComparison.Ordinal) ? 2 : 1, nnpackLines, log);
        if (nnpackLines > 0)
            StringAssert.Contains(log, "NNPACK does not support this CPU and is off");
        var confusion = File.ReadAllLines(run.File("confusion-matrix.md"));
        foreach (var label in ShapeImages.Labels)
            Assert.IsTrue(confusion.Any(l => l.StartsWith($"| ", StringComparison.Ordinal) && l.Contains($" | {label} | ", StringComparison.Ordinal)), label);
        StringAssert.Contains(File.ReadAllText(run.File("summary.md")), "# shapes — ");
        run.File("rectified.png");
        run.File("training-curves.png");

        // The trained model on a labelled folder (the training images themselves): accuracy and a confusion matrix.
        File.Delete(Path.Combine(images, "disc", "broken.png"));
        (code, log) = run.Run("score", "--model", run.File("model.zip"), "--images", images);
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "Accuracy ");
        StringAssert.Contains(log, " of 90), macro accuracy");
        var rows = File.ReadAllLines(run.File("scores.csv"));
        Assert.AreEqual("file,true label,predicted label,confidence", rows[0]);
        Assert.HasCount(91, rows);
        var correct = rows.Skip(1).Count(r => r.Split(',') is var f && f[1] == f[2]);
        Assert.IsGreaterThan(60, correct, "well above chance (30 of 90)");

        // Loose files: predictions only.
        var loose = Directory.CreateDirectory(Path.Combine(run.Output, "loose")).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(images, "down")).Take(4))
            File.Copy(file, Path.Combine(loose, Path.GetFileName(file)));
        (code, log) = run.Run("score", "--model", run.File("model.zip"), "--images", loose);
        Assert.AreEqual(0, code, log);
        Assert.AreEqual("file,predicted label,confidence", File.ReadAllLines(run.File("scores.csv"))[0]);
        Assert.HasCount(5, File.ReadAllLines(run.File("scores.csv")));
    }

    [TestMethod]
    public void AGivenTestFolderIsTheTestSetAndMustHaveTheSameLabels()
    {
        using var run = new SampleProcess();
        var train = ShapeImages.Write(Path.Combine(run.Output, "train"), perLabel: 20);
        var test = ShapeImages.Write(Path.Combine(run.Output, "test"), perLabel: 5, seed: 1);
        var (code, log) = run.Run("train", "--images", train, "--test-images", test, "--epochs", "1");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "train 54, validation 6, test 15 (--test-images;");

        var other = ShapeImages.Write(Path.Combine(run.Output, "other"), perLabel: 5, labels: ["across", "down", "ring"]);
        var output = Path.Combine(run.Output, "refused");
        (code, log) = run.Run("train", "--images", train, "--test-images", other, "--epochs", "1", "--output", output);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "The two image folders have different labels");
        StringAssert.Contains(log, "'ring'");
        StringAssert.Contains(log, "'disc'");
        Assert.IsFalse(Directory.Exists(output), "nothing is written");
    }

    [TestMethod]
    public void BadImageFoldersAreRefusedByNameBeforeAnythingIsWritten()
    {
        using var run = new SampleProcess();
        var output = Path.Combine(run.Output, "refused");
        (int Code, string Log) Train(string folder, params string[] more) => run.Run(["train", "--images", folder, .. more, "--output", output]);

        var missing = Path.Combine(run.Output, "no-such-folder");
        var (code, log) = Train(missing);
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, $"--images: folder '{missing}' does not exist");

        var empty = Directory.CreateDirectory(Path.Combine(run.Output, "empty")).FullName;
        (code, log) = Train(empty);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, $"'{empty}' holds no images in label folders (it is empty)");

        var single = ShapeImages.Write(Path.Combine(run.Output, "single"), perLabel: 10, labels: ["disc"]);
        (code, log) = Train(single);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "has one label ('disc', 10 images); a classifier needs at least two label folders");

        var small = ShapeImages.Write(Path.Combine(run.Output, "small"), perLabel: 10, labels: ["across", "down"]);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(small, "down")).Skip(2))
            File.Delete(file);
        (code, log) = Train(small);
        Assert.AreEqual(1, code, log);
        StringAssert.Contains(log, "Label 'down' has 2 row(s); a stratified split into train, validation and test needs at least 3 per label");

        (code, log) = run.Run("train", "--test-images", small, "--output", output);
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "--test-images goes with --images");
        (code, log) = Train(small, "--validation-fraction", "1.5");
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "--validation-fraction must be between 0 and 0.9; got 1.5");
        Assert.IsFalse(Directory.Exists(output), "nothing is written");
    }
}
