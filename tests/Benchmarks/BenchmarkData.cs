using TrafficSigns.Experiments.Gtsrb;

namespace Benchmarks;

/// <summary>The shared GTSRB subset the training and scoring benchmarks use.</summary>
internal static class BenchmarkData
{
    /// <summary>Tracks kept per class: 43 classes × 3 tracks ≈ 3,900 images.</summary>
    public const int TracksPerClass = 3;

    /// <summary>The repository root: the first folder above the working directory or this assembly holding MlLinearized.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary><c>&lt;repo&gt;/../shared/data/gtsrb</c>.</summary>
    public static string GtsrbRoot => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "gtsrb"));

    /// <summary>The annotations of the subset (cheap: no image is decoded).</summary>
    public static IReadOnlyList<GtsrbSample> Samples() => GtsrbReader.ReadTraining(GtsrbRoot, maxTracksPerClass: TracksPerClass);

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MlLinearized.sln")))
                    return dir.FullName;
        }
        throw new DirectoryNotFoundException("MlLinearized.sln not found above the working directory or the benchmark assembly.");
    }
}
