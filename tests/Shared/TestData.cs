using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MlLinearized.TestSupport;

/// <summary>
/// The repository's built-in data (the folder <c>data/</c>), shared by every test project (this file is linked into
/// each). Tests never read <c>../shared</c>: a clone of the public repository has no such folder.
/// </summary>
internal static class TestData
{
    /// <summary>The folder holding MlLinearized.sln.</summary>
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

    /// <summary>A photograph of <c>data/images</c> (chelsea.png, coffee.png).</summary>
    public static string Photo(string name)
    {
        var path = Path.Combine(RepositoryRoot, "data", "images", name);
        if (!File.Exists(path))
            Assert.Fail($"Built-in photograph '{path}' is missing from the repository's data/images folder.");
        return path;
    }

    /// <summary>
    /// <c>data/gtsrb-subset</c>, the folder holding Final_Training: 2,614 GTSRB images, all 1,307 tracks of the 43 classes,
    /// two frames per track (frames 7 and 22 of 0–29).
    /// </summary>
    public static string GtsrbRoot
    {
        get
        {
            var root = Path.Combine(RepositoryRoot, "data", "gtsrb-subset");
            if (!Directory.Exists(Path.Combine(root, "Final_Training", "Images")))
                Assert.Fail($"Built-in GTSRB subset '{root}/Final_Training/Images' is missing.");
            return root;
        }
    }

    /// <summary>A class folder of the built-in subset, e.g. 14 → .../Final_Training/Images/00014.</summary>
    public static string GtsrbClassFolder(int classId) =>
        Path.Combine(GtsrbRoot, "Final_Training", "Images", classId.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
}
