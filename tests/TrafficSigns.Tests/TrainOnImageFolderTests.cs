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
        var (code, log) = run.Run("train", "--images", images, "--epochs", "10");
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "90 images in 3 labels; skipped 2: 1 hidden, 1 could not be decoded");
        StringAssert.Contains(log, $"skipped {Path.Combine(images, "disc", "broken.png")}: Image file");
        StringAssert.Contains(log, "train 63, validation 9, test 18 (held-out images; stratified by label, seed 0: validation 10%, test 20%)");
        // Images under 32 px (these: 20–48 px, median 26) go in at their own size, without downsampling, and the output says why.
        StringAssert.Contains(Unwrapped(log), "26×26 input (the images' median shorter side is 26 px: images smaller than 32 px are taken at their own size without downsampling; --image-size and --downsampling change it), 1× downsampling");
        StringAssert.Contains(File.ReadAllText(run.File("summary.md")), "Network input 26×26; training: 10 epochs of Adam");
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
        TestContext.WriteLine($"correct: {correct} of 90");
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
    public void StreamedOrKeptInMemoryTheSameSeedGivesTheSameModel()
    {
        // Issue 30: --in-memory-limit 0 streams the images (read again every epoch), the default keeps them once read;
        // the batches are the same, so the seeded runs give the same losses and the same test scores, and each summary
        // says how the images were read.
        using var run = new SampleProcess();
        var images = ShapeImages.Write(Path.Combine(run.Output, "shapes"), perLabel: 20);
        string kept = Path.Combine(run.Output, "kept"), streamed = Path.Combine(run.Output, "streamed");
        var (code, log) = run.Run("train", "--images", images, "--epochs", "2", "--output", kept);
        Assert.AreEqual(0, code, log);
        (code, log) = run.Run("train", "--images", images, "--epochs", "2", "--in-memory-limit", "0", "--output", streamed);
        Assert.AreEqual(0, code, log);
        var keptSummary = File.ReadAllText(Path.Combine(kept, "summary.md"));
        var streamedSummary = File.ReadAllText(Path.Combine(streamed, "summary.md"));
        StringAssert.Contains(keptSummary, "images kept in memory once read (0 MB ≤ --in-memory-limit 256)");
        StringAssert.Contains(streamedSummary, "images streamed, read again every epoch (0 MB > --in-memory-limit 0)");
        StringAssert.Matches(keptSummary, new System.Text.RegularExpressions.Regex(@"data read in [0-9.]+ s; first training step done after [0-9.]+ s"));
        static string Results(string summary) => string.Join("\n", summary.Split('\n').Where(l =>
            l.StartsWith("- Test ", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| [0-9]+ \|"))
            .Select(l => l.StartsWith('|') ? string.Join('|', l.Split('|')[..5]) : l));   // the epochs' images/s differ
        Assert.AreEqual(Results(keptSummary), Results(streamedSummary));
        StringAssert.Contains(Results(keptSummary), "| 2 |");
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

    /// <summary>
    /// Issue 29, items 1, 3 and 7, through the command line: a folder with a link loop, a truncated image, grouped images
    /// and a test folder holding an exact copy of a training image; then a second run into the same --output (refused
    /// unless --overwrite, and the user's own file there untouched either way).
    /// </summary>
    [TestMethod]
    public void TrainReadsExactlyWhatIsThereSaysWhatLooksWrongAndNeverReplacesAnEarlierRunUnasked()
    {
        using var run = new SampleProcess();
        var images = Path.Combine(run.Output, "bursts");
        // Each label's 12 images in 4 subfolders of 3 (bursts), and a loop back to the root in one of them.
        foreach (var label in ShapeImages.Labels)
        {
            ShapeImages.Write(Path.Combine(run.Output, "flat"), perLabel: 12, labels: [label]);
            var files = Directory.GetFiles(Path.Combine(run.Output, "flat", label)).Order(StringComparer.Ordinal).ToList();
            for (int i = 0; i < files.Count; i++)
            {
                var burst = Directory.CreateDirectory(Path.Combine(images, label, $"burst{i / 3}")).FullName;
                File.Move(files[i], Path.Combine(burst, Path.GetFileName(files[i])));
            }
        }
        Directory.CreateSymbolicLink(Path.Combine(images, "disc", "burst0", "loop"), images);
        var jpeg = Directory.GetFiles(Path.Combine(images, "down"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(jpeg);
        File.WriteAllBytes(Path.Combine(images, "down", "burst3", "cut.jpg"), bytes[..(bytes.Length - 20)]);   // inside the pixel data: past the header check
        var test = ShapeImages.Write(Path.Combine(run.Output, "test"), perLabel: 3, seed: 5);
        var copied = Directory.GetFiles(Path.Combine(images, "across"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.Copy(copied, Path.Combine(test, "across", "copy.png"));
        var output = Path.Combine(run.Output, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "the user's own file");

        var (code, log) = run.Run("train", "--images", images, "--test-images", test, "--epochs", "1", "--output", output);
        TestContext.WriteLine(log);
        Assert.AreEqual(0, code, log);
        log = Unwrapped(log);
        // The JPEG cut inside its pixel data passes the loader's header check (issue 30: each image is decoded once, by
        // the trainer), and the trainer's strict decode leaves it out and names it; the summary counts it.
        StringAssert.Contains(log, "37 images in 3 labels; skipped 1: 1 link loop(s), not followed");
        StringAssert.Contains(log, $"skipped {Path.Combine(images, "down", "burst3", "cut.jpg")}: Image file");
        StringAssert.Contains(log, "it is truncated");
        StringAssert.Contains(log, "The split is by image, and the images look grouped: 37 of 37 images sit in 12 subfolders below their label folders");
        StringAssert.Contains(log, "add --group folder");
        StringAssert.Contains(log, $"1 test (--test-images) image(s) are exact copies (the same bytes) of training images, so the test accuracy is optimistic: '{Path.Combine(test, "across", "copy.png")}' = training '{copied}'");
        var summary = File.ReadAllText(Path.Combine(output, "summary.md"));
        StringAssert.Contains(summary, "- **Warning:** 1 test (--test-images) image(s) are exact copies");
        StringAssert.Contains(summary, $"- **Left out:** 1 image(s) found damaged when decoded for training: Image file '{Path.Combine(images, "down", "burst3", "cut.jpg")}' could not be decoded: it is truncated");
        var model = File.ReadAllBytes(Path.Combine(output, "model.zip"));

        // The same output folder again: refused before any work, naming what it would replace; nothing changes.
        (code, log) = run.Run("train", "--images", images, "--test-images", test, "--epochs", "1", "--output", output);
        Assert.AreEqual(2, code, log);
        log = Unwrapped(log);
        StringAssert.Contains(log, $"--output: '{output}' already holds model.zip, training-curves.png, rectified.png, confusion-matrix.md, summary.md from an earlier run; train does not replace them. Give another --output, or add --overwrite");
        Assert.IsFalse(log.Contains("Numerics self-check", StringComparison.Ordinal), "refused before any work");
        CollectionAssert.AreEqual(model, File.ReadAllBytes(Path.Combine(output, "model.zip")));

        (code, log) = run.Run("train", "--images", images, "--test-images", test, "--epochs", "1", "--seed", "3", "--output", output, "--overwrite");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(Unwrapped(log), "replaced the earlier run's model.zip, training-curves.png, rectified.png, confusion-matrix.md, summary.md (--overwrite)");
        CollectionAssert.AreNotEqual(model, File.ReadAllBytes(Path.Combine(output, "model.zip")), "another seed, another model");
        Assert.AreEqual("the user's own file", File.ReadAllText(Path.Combine(output, "notes.txt")));
        Assert.IsFalse(File.Exists(Path.Combine(output, ".trafficsigns.lock")), "the lock goes with the run");
    }

    /// <summary>The console output with Spectre.Console's line wrapping (at 240 columns when redirected) undone.</summary>
    private static string Unwrapped(string log) => System.Text.RegularExpressions.Regex.Replace(log, @" ?\n(?=\S)", " ");

    /// <summary>Issue 29, item 3: two processes training into one output folder both exited 0, the second replacing the first's files.</summary>
    [TestMethod]
    public void TwoRunsIntoOneOutputFolderCannotBothSucceed()
    {
        using var run = new SampleProcess();
        var images = ShapeImages.Write(Path.Combine(run.Output, "shapes"), perLabel: 20);
        var output = Path.Combine(run.Output, "shared-out");
        var first = Task.Run(() => run.Run("train", "--images", images, "--epochs", "3", "--output", output));
        var lockFile = Path.Combine(output, ".trafficsigns.lock");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(lockFile) && !first.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(50);
        var (code, log) = run.Run("train", "--images", images, "--epochs", "1", "--output", output);
        TestContext.WriteLine(log);
        log = Unwrapped(log);
        var (firstCode, firstLog) = first.Result;
        Assert.AreEqual(0, firstCode, firstLog);
        Assert.AreNotEqual(0, code, "the second run fails, while the first holds the folder or after it has written it: " + log);
        Assert.IsTrue(log.Contains($"--output: '{output}' is in use by another run", StringComparison.Ordinal)
            || log.Contains($"--output: '{output}' already holds model.zip", StringComparison.Ordinal), log);
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "summary.md")), "training: 3 epochs", "the first run's files are the ones there");
    }
}
