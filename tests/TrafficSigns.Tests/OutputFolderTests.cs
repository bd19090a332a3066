namespace TrafficSigns.Tests;

/// <summary>The --output folder's lock and its refusal to replace an earlier run's files (issue 29, item 3).</summary>
[TestClass]
public sealed class OutputFolderTests
{
    [TestMethod]
    public void ASecondClaimFailsWhileTheFirstHoldsTheFolderAndSucceedsAfter()
    {
        var folder = Directory.CreateTempSubdirectory("output-folder-").FullName;
        try
        {
            using (var first = OutputFolder.Claim(folder, ["model.zip"], refuseExisting: true, "train"))
            {
                Assert.IsTrue(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)));
                var e = Assert.ThrowsExactly<IOException>(() => OutputFolder.Claim(folder, ["scores.csv"], refuseExisting: false, "score"));
                StringAssert.StartsWith(e.Message, $"--output: '{folder}' is in use by another run (");
                StringAssert.Contains(e.Message, "two runs cannot write into one folder");
                File.WriteAllText(Path.Combine(folder, "model.zip"), "a model");
            }
            Assert.IsFalse(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)), "released and deleted");
            var refused = Assert.ThrowsExactly<IOException>(() => OutputFolder.Claim(folder, ["model.zip", "summary.md"], refuseExisting: true, "train"));
            StringAssert.StartsWith(refused.Message, $"--output: '{folder}' already holds model.zip from an earlier run; train does not replace them.");
            Assert.IsFalse(File.Exists(Path.Combine(folder, OutputFolder.LockFileName)), "a refused claim leaves no lock");
            using var replacing = OutputFolder.Claim(folder, ["model.zip", "summary.md"], refuseExisting: false, "train");
            CollectionAssert.AreEqual(new[] { "model.zip" }, replacing.Replaced.ToList());
            Assert.AreEqual("a model", File.ReadAllText(Path.Combine(folder, "model.zip")), "claiming touches no file");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
