using System.Diagnostics;
using Ml.Transforms.Alignment;
using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Alignment;
using Ml.Transforms.Tests.Support;
using MlLinearized.TestSupport;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Devices;

/// <summary>
/// Issue 29, item 8: the TorchSharp temporary-Scalar race (docs/performance.md). A test run under load once failed on
/// it; a user's training could meet it too. The library and its tests make no temporary Scalar (a scan of the sources),
/// and the paths that used to make them give the same results while garbage collections are forced all the time.
/// </summary>
[TestClass]
public sealed class KeptScalarsTests
{
    /// <summary>Each project whose sources are scanned: its assembly name, a build output with its references, MSTest or not, its folder.</summary>
    public static IEnumerable<object[]> Projects =>
    [
        ["Ml.Transforms", "tests/Ml.Transforms.Tests", false, "src/Ml.Transforms"],
        ["Ml.Trainers", "tests/Ml.Trainers.Tests", false, "src/Ml.Trainers"],
        ["TrafficSigns", "samples/TrafficSigns", false, "samples/TrafficSigns"],
        ["TrafficSigns.Experiments", "samples/TrafficSigns.Experiments", false, "samples/TrafficSigns.Experiments"],
        ["Ml.Transforms.Tests", "tests/Ml.Transforms.Tests", true, "tests/Ml.Transforms.Tests"],
        ["Ml.Trainers.Tests", "tests/Ml.Trainers.Tests", true, "tests/Ml.Trainers.Tests"],
        ["TrafficSigns.Experiments.Tests", "tests/TrafficSigns.Experiments.Tests", true, "tests/TrafficSigns.Experiments.Tests"],
    ];

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void NoSourceMakesATemporaryScalar(string assemblyName, string builtProject, bool testProject, string projectFolder)
    {
        var result = TemporaryScalarScan.Scan(assemblyName, ChildProcess.BuiltOutput(builtProject), testProject, projectFolder);
        Assert.IsEmpty(result.Errors, "the scan compiles the project: " + string.Join("\n", result.Errors.Take(5)));
        Assert.IsGreaterThan(0, result.TorchSharpCalls, "the scan sees the project's TorchSharp calls");
        Assert.IsEmpty(result.Findings,
            "TorchSharp makes a Scalar that nothing keeps alive here; use KeptScalars (Plus, Times, Over, …, or a Scalar in a using):\n" + string.Join("\n", result.Findings));
    }

    [TestMethod]
    public void TheScanFindsEveryKindOfTemporary()
    {
        // The scan itself can fail: on a file with one of each kind, it reports each one.
        var folder = Path.Combine(Path.GetTempPath(), "kept-scalars-scan-" + Guid.NewGuid().ToString("N"));
        var relative = Path.GetRelativePath(TestData.RepositoryRoot, folder);
        Directory.CreateDirectory(folder);   // no .csproj: every .cs file of the folder
        try
        {
            File.WriteAllText(Path.Combine(folder, "Temporaries.cs"), """
                using TorchSharp;
                using static TorchSharp.torch;
                internal static class Temporaries
                {
                    public static Tensor All(Tensor a, Tensor b) =>
                        (a + b)          // Tensor + Tensor: alpha 1
                        * 2.0            // a number operand
                        - a.clamp(0, 1)  // numbers made Scalars
                        + a.add(b)       // add without alpha (and another Tensor + Tensor)
                        + a.sum().ToDouble(); // through ToScalar()
                    public static Tensor None(Tensor a, Tensor b) => (a - b) * b / a;
                }
                """);
            var result = TemporaryScalarScan.Scan("Scan", ChildProcess.BuiltOutput("tests/Ml.Transforms.Tests"), false, relative);
            Assert.IsEmpty(result.Errors, string.Join("\n", result.Errors));
            var kinds = result.Findings.Select(f => f.Split(": ")[1]).ToList();
            CollectionAssert.IsSubsetOf(new[]
            {
                "Tensor operator Add(Tensor, Tensor)", "Tensor operator Multiply(Tensor, Double)", "a number made a temporary Scalar",
                "add without alpha", "Tensor operator Add(Tensor, Double)", "Tensor.ToDouble() through a temporary Scalar",
            }, kinds, string.Join("\n", result.Findings));
            Assert.IsFalse(result.Findings.Any(f => f.Contains("None", StringComparison.Ordinal)), "Tensor − Tensor, * and / of tensors make no Scalar");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void TheHelpersGiveWhatTorchSharpsOperatorsGiveDtypesIncluded()
    {
        // What TorchSharp's operators give (f + 2.5, i + 1, i / 2, …), written out: an integer scalar keeps an int64
        // tensor int64, a floating one makes it float32, and division is true division.
        using var scope = NewDisposeScope();
        var f = tensor(new[] { 1.5f, -2f, 4f });
        var i = tensor(new long[] { 3, -4, 5 });
        Equal(tensor(new[] { 4f, 0.5f, 6.5f }), f.Plus(2.5));
        Equal(tensor(new[] { 2.5f, 0f, 7f }), f.Plus(tensor(new[] { 1f, 2f, 3f })));
        Equal(tensor(new long[] { 4, -3, 6 }), i.Plus(1));
        Equal(tensor(new[] { 3.5f, -3.5f, 5.5f }), i.Plus(0.5));
        Equal(tensor(new[] { 0.25f, -3.25f, 2.75f }), f.Minus(1.25));
        Equal(tensor(new long[] { 1, -6, 3 }), i.Minus(2));
        Equal(tensor(new[] { 0.5f, 4f, -2f }), f.SubtractedFrom(2.0));
        Equal(tensor(new[] { 4.5f, -6f, 12f }), f.Times(3.0));
        Equal(tensor(new long[] { 9, -12, 15 }), i.Times(3));
        Equal(tensor(new[] { 1.5f, -2f, 2.5f }), i.Over(2));
        Equal(tensor(new[] { 0.375f, -0.5f, 1f }), f.Over(4.0));
        Equal(tensor(new[] { 1.5f, -1f, 2f }), f.Clamped(-1.0, 2.0));
        Equal(tensor(new long[] { 2, -1, 2 }), i.Clamped(-1, 2));
        Equal(tensor(new[] { 1.5f, 0f, 4f }), f.AtLeast(0));
        Equal(tensor(new[] { 0.5f, 0.5f, 0.5f, 0.5f }).view(2, 2), KeptScalars.Full([2, 2], 0.5));
        Equal(tensor(new long[] { 7, 7, 7 }), KeptScalars.FullLike(i, 7.0));
        Equal(tensor(new double[] { 0, 1, 2, 3, 4 }), KeptScalars.Arange(5, ScalarType.Float64));
        var inPlace = f.clone();
        inPlace.PlusInPlace(tensor(new[] { 1f, 1f, 1f })).TimesInPlace(2.0).OverInPlace(4.0).PlusInPlace(0.5);
        Equal(tensor(new[] { 1.75f, 0f, 3f }), inPlace);
    }

    private static void Equal(Tensor expected, Tensor actual)
    {
        Assert.AreEqual(expected.dtype, actual.dtype);
        CollectionAssert.AreEqual(expected.shape, actual.shape);
        Assert.IsTrue(expected.eq(actual).all().item<bool>(), $"{expected.ToString(TorchSharp.TensorStringStyle.Julia)} vs {actual.ToString(TorchSharp.TensorStringStyle.Julia)}");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void ThePathsThatMadeTemporariesGiveTheSameResultsWhileGarbageCollectionsAreForced()
    {
        var expected = AffectedPaths();
        int collectionsBefore = GC.CollectionCount(0);
        int rounds = 0;
        var clock = Stopwatch.StartNew();
        using (new ForcedCollections())
        {
            // Bounded: at least 10 rounds and 3 s; with a GC forced back to back, each round meets dozens of collections.
            while (rounds < 10 || clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                var actual = AffectedPaths();
                for (int k = 0; k < expected.Count; k++)
                    Assert.AreEqual(expected[k].Value, actual[k].Value, Math.Abs(expected[k].Value) * 1e-9 + 1e-12, $"{expected[k].Name}, round {rounds}");
                rounds++;
            }
        }
        int collections = GC.CollectionCount(0) - collectionsBefore;
        Console.WriteLine($"{rounds} rounds of {expected.Count} results in {clock.Elapsed.TotalSeconds:F1} s, {collections} garbage collections");
        Assert.IsGreaterThan(rounds, collections, "collections ran during the rounds");
    }

    /// <summary>The library paths that used temporary Scalars, each reduced to a number (seeded: the same every call).</summary>
    private static List<(string Name, double Value)> AffectedPaths()
    {
        using var scope = NewDisposeScope();
        var results = new List<(string, double)>();
        void Add(string name, Tensor t) => results.Add((name, t.to(ScalarType.Float64).sum().item<double>()));

        var input = Grids.Image(2, 3, 12, 10, ScalarType.Float32, 5);
        foreach (var (mode, padding) in new[]
        {
            (SamplingMode.Linearized, PaddingMode.Zeros), (SamplingMode.Linearized, PaddingMode.Reflection), (SamplingMode.Bicubic, PaddingMode.Border),
            (SamplingMode.Bicubic, PaddingMode.Reflection), (SamplingMode.MultiScale, PaddingMode.Zeros),
        })
        {
            var image = input.clone().requires_grad_(true);
            var grid = Grids.Random(2, 6, 5, ScalarType.Float32, 6, extent: 1.2).requires_grad_(true);
            var output = GridSampler.GridSample(image, grid, mode, padding, options: new SamplerOptions { Generator = new Generator(7) });
            output.square().sum().backward();
            Add($"{mode} {padding} output", output);
            Add($"{mode} {padding} input gradient", image.grad!);
            Add($"{mode} {padding} grid gradient", grid.grad!);
        }
        using (var generator = new Generator(8))
        {
            var warps = WarpPerturbation.Sample(WarpFamily.Homography, 4, PerturbationOptions.Of(0.2), generator, ScalarType.Float64);
            Add("perturbation", warps);
            Add("matrices", WarpMatrices.FromMatrix(WarpMatrices.ToMatrix(warps, WarpFamily.Homography), WarpFamily.Similarity));
            Add("grid", WarpGrid.ToGrid(warps, WarpFamily.Homography, 5, 4, frameScale: 0.8));
        }
        using (var standardization = new ImageStandardization())
            Add("standardization", standardization.forward(input));
        var reference = AlignmentImages.Smooth(16, 16);
        var moved = GridSampler.GridSample(reference, WarpGrid.ToGrid(AlignmentImages.Crop(0.9), WarpFamily.Homography, 16, 16));
        var alignment = SpatialAlignment.Align(moved, reference, new SpatialAlignmentOptions { Steps = 4, SamplerOptions = new SamplerOptions { Generator = new Generator(9) } });
        Add("alignment", alignment.Parameters);
        return results;
    }

    /// <summary>A background thread that forces a full collection and runs the finalizers, back to back, until disposed.</summary>
    private sealed class ForcedCollections : IDisposable
    {
        private readonly Thread thread;
        private volatile bool stop;

        public ForcedCollections()
        {
            thread = new Thread(() =>
            {
                while (!stop)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            }) { IsBackground = true, Name = "forced collections" };
            thread.Start();
        }

        public void Dispose()
        {
            stop = true;
            thread.Join();
        }
    }
}
