using TrafficSigns.Cli;

namespace TrafficSigns.Tests;

/// <summary>
/// The app's command line (Spectre.Console.Cli, <see cref="SampleApp"/>: train, score, export): per-command help, misspelled and unknown
/// options refused with a suggestion, values checked before any work (before the numerics self-check and its restart,
/// before anything is written).
/// </summary>
[TestClass]
public sealed class CommandLineTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("train", "--epoch", "--epochs")]
    [DataRow("train", "--image", "--images")]
    [DataRow("train", "--learningrate", "--learning-rate")]
    [DataRow("export", "--mdel", "--model")]
    [DataRow("score", "--modle", "--model")]
    public void AMisspelledOptionIsRefusedWithTheNearestName(string command, string typo, string meant)
    {
        var problem = OptionCheck.Problem([command, typo, "2"], SampleApp.Settings, "TrafficSigns");
        Assert.IsNotNull(problem);
        StringAssert.StartsWith(problem, $"Unknown option '{typo}' for '{command}'. Did you mean '{meant}'?");
        StringAssert.Contains(problem, $"Run 'TrafficSigns {command} --help' for its options.");
    }

    [TestMethod]
    public void OptionsOfOtherCommandsWordsWithoutADashAndMissingValuesAreRefused()
    {
        static string? Problem(params string[] args) => OptionCheck.Problem(args, SampleApp.Settings, "TrafficSigns");
        StringAssert.StartsWith(Problem("train", "--threads", "0"), "Unknown option '--threads' for 'train'.");
        StringAssert.StartsWith(Problem("train", "--protocol", "icstn"), "Unknown option '--protocol' for 'train'.");
        StringAssert.StartsWith(Problem("score", "--model", "m.zip", "photos"), "Unexpected 'photos' for 'score'");
        Assert.AreEqual("--images needs a value (<DIR>).", Problem("train", "--images"));
        Assert.AreEqual("--images needs a value (<DIR>).", Problem("train", "--images", "--epochs", "2"));
        Assert.IsNull(Problem("train", "--epochs", "-1", "--downsampling", "4"), "a negative value is a value; range checks come later");
        Assert.IsNull(Problem("train", "--bogus", "--help"), "help wins");
    }

    [TestMethod]
    [DataRow("--downsampling")]
    [DataRow("--factors")]
    [DataRow("--factor")]
    public void TrainTakesTheDownsamplingUnderItsNameAndTheOldSpellings(string spelling)
    {
        Assert.IsNull(OptionCheck.Problem(["train", spelling, "4"], SampleApp.Settings, "TrafficSigns"), $"train {spelling}");
    }

    [TestMethod]
    public void EachCommandHasItsOwnHelp()
    {
        using var run = new SampleProcess();
        var (code, log) = run.Run("train", "--help");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "--images <DIR>");
        StringAssert.Contains(log, "--test-images <DIR>");
        Assert.IsFalse(log.Contains("Numerics self-check", StringComparison.Ordinal), "help does no work");
        (code, log) = run.Run("score", "--help");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "--model <ZIP>");
        // The paper's experiments are another program (samples/TrafficSigns.Experiments).
        (code, log) = run.Run("table", "--quick");
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "Unknown command");
    }

    [TestMethod]
    [DataRow("--epoch 2", "Unknown option '--epoch' for 'train'. Did you mean '--epochs'?")]
    [DataRow("--threads 0", "Unknown option '--threads' for 'train'.")]
    [DataRow("--downsampling 3", "--downsampling must be one of 1, 2, 4, 8; got 3.")]
    [DataRow("--epochs -1", "--epochs must be ≥ 1; got -1.")]
    [DataRow("--learning-rate 0", "--learning-rate must be a finite number > 0; got 0.")]
    [DataRow("--in-memory-limit -1", "--in-memory-limit must be ≥ 0; got -1.")]
    [DataRow("--architecture Foo", "--architecture must be one of None, Stn, InverseCompositionalStn; got 'Foo'.")]
    [DataRow("--image-size 30 --downsampling 4", "--image-size 30 is not divisible by --downsampling 4")]
    [DataRow("--perturbation 2", "--perturbation must be between 0 and 1; got 2.")]
    [DataRow("--translation 2", "--translation must be between 0 and 1; got 2.")]
    [DataRow("--dropout 0.95", "--dropout must be between 0 and 0.9; got 0.95.")]
    [DataRow("--weight-decay -1", "--weight-decay must be a finite number ≥ 0; got -1.")]
    [DataRow("--epochs abc", "--epochs: 'abc' is not a whole number.")]
    [DataRow("--epochs 99999999999", "--epochs: 99999999999 is out of range: it takes a whole number from -2147483648 to 2147483647.")]
    public void BadTrainOptionsAreRefusedBeforeAnyWork(string options, string message)
    {
        using var run = new SampleProcess();
        var output = Path.Combine(run.Output, "refused");
        var (code, log) = run.Run(["train", .. options.Split(' '), "--output", output]);
        TestContext.WriteLine(log);
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, message);
        Assert.IsFalse(log.Contains("Numerics self-check", StringComparison.Ordinal), "refused before the numerics check (and its restart)");
        Assert.IsFalse(Directory.Exists(output), "nothing written");
    }

    [TestMethod]
    public void AnOutputPathInsideAFileIsRefusedByName()
    {
        using var run = new SampleProcess();
        var file = Path.Combine(run.Output, "a-file");
        File.WriteAllText(file, "not a folder");
        var (code, log) = run.Run("train", "--output", Path.Combine(file, "out"));
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, $"--output: '{Path.Combine(file, "out")}' cannot be a folder: '{file}' is a file.");
    }

    /// <summary>
    /// Issue 29, item 5: values that are not of the option's type. On 12-04 the sample said "--epochs expects an integer;
    /// got 'abc'"; Spectre.Console.Cli then said "Failed to convert 'abc' to Nullable`1." Now the option, the value and
    /// what it takes, and the range for a number too large.
    /// </summary>
    [TestMethod]
    [DataRow("train", "--epochs", "abc", "--epochs: 'abc' is not a whole number.")]
    [DataRow("train", "--epochs", "2.5", "--epochs: '2.5' is not a whole number.")]
    [DataRow("train", "--epochs", "99999999999", "--epochs: 99999999999 is out of range: it takes a whole number from -2147483648 to 2147483647.")]
    [DataRow("train", "--batch", "-99999999999", "--batch: -99999999999 is out of range: it takes a whole number from -2147483648 to 2147483647.")]
    [DataRow("train", "--seed", "1e3", "--seed: '1e3' is not a whole number.")]
    [DataRow("train", "--learning-rate", "fast", "--learning-rate: 'fast' is not a number (write it with a '.', e.g. 0.25).")]
    [DataRow("train", "--validation-fraction", "0,1", "--validation-fraction: '0,1' is not a number (write it with a '.', e.g. 0.25).")]
    [DataRow("train", "--perturbation", "NaN", "--perturbation: 'NaN' is not a number (write it with a '.', e.g. 0.25).")]
    [DataRow("train", "--sampler", "cubic", "--sampler: 'cubic' is not one of Nearest, Bilinear, Bicubic, Linearized, MultiScale.")]
    [DataRow("train", "--device", "2", "--device: '2' is not one of Auto, Cpu, Cuda.")]
    [DataRow("train", "--image-size=big", "", "--image-size: 'big' is not a whole number.")]
    [DataRow("train", "--group", "session", "--group: 'session' is not one of None, Folder, Prefix.")]
    public void AValueOfTheWrongTypeNamesTheOptionTheValueAndWhatItTakes(string command, string option, string value, string message)
    {
        string[] line = value.Length == 0 ? [command, option] : [command, option, value];
        Assert.AreEqual(message, OptionCheck.Problem(line, SampleApp.Settings, "TrafficSigns"));
    }

    [TestMethod]
    public void ValuesOfTheRightTypePassToTheRangeChecks()
    {
        Assert.IsNull(OptionCheck.Problem(["train", "--epochs", "3", "--learning-rate", "1e-3", "--sampler", "bilinear", "--seed=7", "--device", "CPU"], SampleApp.Settings, "TrafficSigns"));
        Assert.IsNull(OptionCheck.Problem(["train", "--epochs", "-1"], SampleApp.Settings, "TrafficSigns"), "-1 is a whole number; its range is checked later");
        Assert.IsNull(OptionCheck.Problem(["train", "--images", "photos", "--output", "out"], SampleApp.Settings, "TrafficSigns"), "paths are not parsed here");
    }

    /// <summary>A file where a folder is expected, and a folder where a file is (the sweep: "folder ... does not exist").</summary>
    [TestMethod]
    public void AFileWhereAFolderIsExpectedAndAFolderWhereAFileIsAreNamedAsSuch()
    {
        using var run = new SampleProcess();
        var file = Path.Combine(run.Output, "photos.zip");
        File.WriteAllText(file, "not a folder");
        var output = Path.Combine(run.Output, "refused");
        var (code, log) = run.Run("train", "--images", file, "--output", output);
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, $"--images: '{file}' is a file, not a folder. Give the folder that holds the images (one subfolder per label).");
        (code, log) = run.Run("score", "--model", run.Output, "--images", file, "--output", output);
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, $"--model: '{run.Output}' is a folder, not a file. Give the file itself (e.g. '{Path.Combine(run.Output, "model.zip")}').");
        (code, log) = run.Run("train", "--images", Path.Combine(run.Output, "missing"), "--output", output);
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, $"--images: folder '{Path.Combine(run.Output, "missing")}' does not exist.", "the 12-04 message for a missing folder");
        Assert.IsFalse(Directory.Exists(output), "nothing written");
    }

    /// <summary>The messages that were clear on 12-04 for paths, kept (checked in process, by each settings class).</summary>
    [TestMethod]
    public void PathMessagesThatWereClearOn1204StayClear()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"));
        Assert.AreEqual($"--model: file '{Path.Combine(missing, "model.zip")}' does not exist.",
            new ScoreSettings { Model = Path.Combine(missing, "model.zip"), Images = "." }.Validate().Message);
        Assert.AreEqual($"--images: folder '{missing}' does not exist.", new ScoreSettings { Model = typeof(CommandLineTests).Assembly.Location, Images = missing }.Validate().Message);
        Assert.AreEqual($"--model: file '{missing}' does not exist.", new ExportSettings { Model = missing }.Validate().Message);
        Assert.AreEqual($"--images: folder '{missing}' does not exist.", new TrainSettings { Images = missing }.Validate().Message);
        Assert.AreEqual($"--data: folder '{missing}' does not exist.", new TrainSettings { Data = missing }.Validate().Message);
        Assert.AreEqual("--group goes with --images (the traffic-sign run keeps each track on one side already).",
            new TrainSettings { Group = TrafficSigns.Data.ImageGrouping.Folder }.Validate().Message);
        var file = typeof(CommandLineTests).Assembly.Location;
        Assert.AreEqual($"--test-images: '{file}' is a file, not a folder. Give the folder that holds the images (one subfolder per label).",
            new TrainSettings { Images = ".", TestImages = file }.Validate().Message);
    }
}
