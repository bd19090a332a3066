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
    /// <c>data/gtsrb-subset</c>, GTSRB in the Kaggle layout (32×32 PNG): Train/&lt;classId&gt;/CCCCC_TTTTT_FFFFF.png with
    /// Train.csv (2,092 images, 1,046 tracks of the 43 classes, 2 frames each), Test/NNNNN.png with Test.csv (522 images of
    /// the held-out tracks) and signnames.csv.
    /// </summary>
    public static string GtsrbRoot
    {
        get
        {
            var root = Path.Combine(RepositoryRoot, "data", "gtsrb-subset");
            if (!File.Exists(Path.Combine(root, "Train.csv")) || !Directory.Exists(Path.Combine(root, "Train")))
                Assert.Fail($"Built-in GTSRB subset '{root}' (Train.csv, Train/) is missing.");
            return root;
        }
    }
}
