namespace Ml.Trainers.Tests.Support;

/// <summary>Paths into the read-only ../shared folder beside the repository.</summary>
internal static class SharedData
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlLinearized.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("MlLinearized.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// ../shared/data/gtsrb, the folder holding Final_Training; fails the test clearly when the shared folder is missing.
    /// </summary>
    public static string GtsrbRoot
    {
        get
        {
            var root = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "gtsrb"));
            if (!Directory.Exists(Path.Combine(root, "Final_Training", "Images")))
                Assert.Fail($"GTSRB folder '{root}/Final_Training/Images' is missing: the tests expect the read-only shared/ folder beside the repository.");
            return root;
        }
    }

    /// <summary>A class folder of the shared GTSRB set, e.g. 14 → .../Final_Training/Images/00014.</summary>
    public static string GtsrbClassFolder(int classId) =>
        Path.Combine(GtsrbRoot, "Final_Training", "Images", classId.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
}
