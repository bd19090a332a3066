using TrafficSigns.Cli;
using TrafficSigns.Experiments.Tests.Support;

namespace TrafficSigns.Experiments.Tests.Commands;

/// <summary>
/// The experiments' command line (<see cref="ExperimentsApp"/>, run by the app's <see cref="CommandLine"/>): per-command
/// help, misspelled and unknown options refused with a suggestion that names this program, values checked before any work.
/// </summary>
[TestClass]
public sealed class CommandLineTests
{
    [TestMethod]
    [DataRow("table", "--seed", "--seeds")]
    [DataRow("align", "--strength", "--strengths")]
    [DataRow("download", "--cach", "--cache")]
    public void AMisspelledOptionIsRefusedWithTheNearestName(string command, string typo, string meant)
    {
        var problem = OptionCheck.Problem([command, typo, "2"], ExperimentsApp.Settings, ExperimentsApp.Name);
        Assert.IsNotNull(problem);
        StringAssert.StartsWith(problem, $"Unknown option '{typo}' for '{command}'. Did you mean '{meant}'?");
        StringAssert.Contains(problem, $"Run 'TrafficSigns.Experiments {command} --help' for its options.");
    }

    [TestMethod]
    public void WordsWithoutADashAndTheAppsOptionsAreRefused()
    {
        StringAssert.StartsWith(OptionCheck.Problem(["rectify", "--perturb", "true"], ExperimentsApp.Settings, ExperimentsApp.Name), "Unexpected 'true' for 'rectify'");
        StringAssert.StartsWith(OptionCheck.Problem(["table", "--images", "photos"], ExperimentsApp.Settings, ExperimentsApp.Name), "Unknown option '--images' for 'table'.");
        Assert.IsNull(OptionCheck.Problem(["table", "--bogus", "--help"], ExperimentsApp.Settings, ExperimentsApp.Name), "help wins");
    }

    [TestMethod]
    [DataRow("--downsampling")]
    [DataRow("--factors")]
    [DataRow("--factor")]
    public void EveryCommandTakesTheDownsamplingUnderItsNameAndTheOldSpellings(string spelling)
    {
        foreach (var command in new[] { "table", "align", "rectify" })
            Assert.IsNull(OptionCheck.Problem([command, spelling, "4"], ExperimentsApp.Settings, ExperimentsApp.Name), $"{command} {spelling}");
    }

    [TestMethod]
    public void EachCommandHasItsOwnHelpAndTheAppsCommandsAreNotHere()
    {
        using var run = new ExperimentsProcess();
        var (code, log) = run.Run("table", "--help");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "--protocol <NAME>");
        StringAssert.Contains(log, "--recipe <NAME>");
        Assert.IsFalse(log.Contains("Numerics self-check", StringComparison.Ordinal), "help does no work");
        (code, log) = run.Run("download", "--help");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(log, "--download-url <URL>");
        (code, log) = run.Run();
        Assert.AreEqual(0, code, log);
        foreach (var command in new[] { "table", "gradient-field", "align", "rectify", "download", "kaggle-subset" })
            StringAssert.Contains(log, command);
        (code, log) = run.Run("train");
        Assert.AreEqual(2, code, log);
        StringAssert.Contains(log, "Unknown command");
    }

    [TestMethod]
    public void GradientFieldWritesItsTables()
    {
        using var run = new ExperimentsProcess();
        var (code, log) = run.Run("gradient-field");
        Assert.AreEqual(0, code, log);
        StringAssert.Contains(File.ReadAllText(run.File("gradient-field.md")), "Linearized");
        Assert.IsGreaterThan(3, File.ReadAllLines(run.File("gradient-field.csv")).Length);
    }
}
