namespace Ml.Transforms.Tests.Support;

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

    public static string Images => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "images"));

    /// <summary>A photograph of ../shared/data/images; fails the test clearly when the shared folder is missing.</summary>
    public static string Photo(string name)
    {
        var path = Path.Combine(Images, name);
        if (!File.Exists(path))
            Assert.Fail($"Shared photograph '{path}' is missing: the tests expect the read-only shared/ folder beside the repository.");
        return path;
    }
}
