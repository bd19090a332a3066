using MlLinearized.TestSupport;

namespace Ml.Trainers.Tests.Compatibility;

/// <summary>
/// Models saved by MlLinearized 0.1.0 on Microsoft.ML 5.0.1 (TestData/, written once by tests/CompatibilityModels and
/// never rewritten) still load with this build and score what they scored then: an StnImageClassification pipeline,
/// a WarpImages and an AlignImages transform, each on six images of sizes unlike the model's.
/// </summary>
[TestClass]
public sealed class SavedModelCompatibilityTests
{
    /// <summary>
    /// Largest difference allowed in a float output of this library's stages (scores, warps, rectified and aligned
    /// pixels in [0, 1]): room for another ONNX Runtime's kernels. Measured on an AMD EPYC (AVX-512): none at all, both
    /// on Microsoft.ML 5.0.1 + ONNX Runtime 1.31.1 (which wrote them) and on Microsoft.ML 6.0.0 + ONNX Runtime 1.32.0.
    /// </summary>
    private const float Tolerance = 1e-5f;

    public TestContext TestContext { get; set; } = null!;

    private static string Folder => Path.Combine(TestData.RepositoryRoot, "tests", "Ml.Trainers.Tests", "Compatibility", "TestData");

    private static ExpectedOutputs Expected => CompatibilityScoring.Read(Path.Combine(Folder, CompatibilityScoring.ExpectedFile));

    [TestMethod]
    public void TheCheckedInModelsAreThoseOfVersion010OnMlNet501()
    {
        var expected = Expected;
        StringAssert.StartsWith(expected.Versions["MlLinearized"], "0.1.0+", "the data stands for models saved with 0.1.0: never rewrite it");
        StringAssert.StartsWith(expected.Versions["Microsoft.ML"], "5.0.1+");
        foreach (var zip in new[] { CompatibilityScoring.ClassifierZip, CompatibilityScoring.WarpZip, CompatibilityScoring.AlignZip })
        {
            Assert.IsLessThan(300_000, new FileInfo(Path.Combine(Folder, zip)).Length, $"{zip} stays small test data");
            Assert.HasCount(CompatibilityScoring.Inputs.Length, expected.Models[zip]);
        }
    }

    [TestMethod]
    public void AClassifierSavedWith010ScoresAsItDidThen()
    {
        // Images are resized by the model's own ResizeImages (Fill: nearest neighbour), which ML.NET 6 left as it was.
        var zip = CompatibilityScoring.ClassifierZip;
        var expected = Expected.Models[zip];
        var actual = CompatibilityScoring.ScoreAll(Folder)[zip];
        LogVersions();
        foreach (var column in new[] { "Score", "Warp", "Rectified" })
            AssertClose(zip, column, expected, actual, Tolerance);
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.AreEqual(expected[r].Text, actual[r].Text, $"predicted class of {expected[r].Image}");
            Assert.AreEqual(expected[r].Key, actual[r].Key, $"PredictedLabel key of {expected[r].Image}");
        }
    }

    [TestMethod]
    public void AWarpImagesTransformSavedWith010WarpsAsItDidThen()
    {
        var zip = CompatibilityScoring.WarpZip;
        var expected = Expected.Models[zip];
        var actual = CompatibilityScoring.ScoreAll(Folder)[zip];
        AssertClose(zip, "Warp", expected, actual, Tolerance);
        // The output image's bytes: a step of rounding is the most a byte may move.
        AssertClose(zip, "Warped", expected, actual, 1);
    }

    [TestMethod]
    public void AnAlignImagesTransformSavedWith010AlignsTheSamePixelsAsItDidThen()
    {
        var zip = CompatibilityScoring.AlignZip;
        var expected = Expected.Models[zip];
        var actual = CompatibilityScoring.ScoreAll(Folder)[zip];

        // The AlignImages stage on the very pixels it was given then: what this library owns scores as it did.
        var stage = CompatibilityScoring.ScoreAlignStage(Folder, expected.Select(r => r.Values["Pixels"]).ToList());
        AssertClose(zip + " (AlignImages stage)", "Aligned", expected, stage, Tolerance);
        AssertClose(zip + " (AlignImages stage)", "AlignWarp", expected, stage, Tolerance);

        // Before it, ML.NET's own ResizeImages with its default IsoCrop: Microsoft.ML 6.0.0 resamples with SkiaSharp 3's
        // Mitchell cubic where 5.0.1 drew with SkiaSharp 2's FilterQuality.High, so its pixels moved by up to 25 of 255
        // levels on these noise images (Fill, nearest neighbour, is unchanged). The whole pipeline's outputs follow them.
        float pixels = LargestDifference(expected, actual, "Pixels");
        if (CompatibilityScoring.VersionOf(typeof(Microsoft.ML.MLContext)).StartsWith("5.0.1+", StringComparison.Ordinal))
            Assert.AreEqual(0f, pixels, "on the version that wrote them the pixels are the same");
        else
            Assert.IsLessThanOrEqualTo(0.1f, pixels, "ML.NET's IsoCrop resampling moved the pixels further than measured (25/255)");
        TestContext.WriteLine($"{zip} end to end: Pixels (ML.NET's ResizeImages IsoCrop) {CompatibilityScoring.Format(pixels)}, " +
            $"Aligned {CompatibilityScoring.Format(LargestDifference(expected, actual, "Aligned"))}, AlignWarp {CompatibilityScoring.Format(LargestDifference(expected, actual, "AlignWarp"))}");
    }

    private void LogVersions()
    {
        TestContext.WriteLine($"Saved with: {string.Join(", ", Expected.Versions.Select(kv => $"{kv.Key} {kv.Value}"))}");
        TestContext.WriteLine($"Scored with: Microsoft.ML {CompatibilityScoring.VersionOf(typeof(Microsoft.ML.MLContext))}, ONNX Runtime {CompatibilityScoring.VersionOf(typeof(Microsoft.ML.OnnxRuntime.InferenceSession))}");
    }

    private void AssertClose(string what, string column, List<ScoredRow> expected, List<ScoredRow> actual, float allowed)
    {
        Assert.HasCount(expected.Count, actual, what);
        int differing = 0, count = 0;
        for (int r = 0; r < expected.Count; r++)
        {
            var want = expected[r].Values[column];
            var got = actual[r].Values[column];
            Assert.HasCount(want.Length, got, $"{what} {column} of {expected[r].Image}: the output's size changed");
            for (int i = 0; i < want.Length; i++, count++)
                differing += BitConverter.SingleToInt32Bits(want[i]) == BitConverter.SingleToInt32Bits(got[i]) ? 0 : 1;
        }
        float largest = LargestDifference(expected, actual, column);
        TestContext.WriteLine($"{what} {column}: {differing} of {count} values differ in their bits, largest difference {CompatibilityScoring.Format(largest)} (allowed {CompatibilityScoring.Format(allowed)})");
        Assert.IsLessThanOrEqualTo(allowed, largest, $"{what} {column}: largest difference {CompatibilityScoring.Format(largest)}");
    }

    /// <summary>The largest absolute difference over every row's values of <paramref name="column"/>; +∞ for a NaN.</summary>
    private static float LargestDifference(List<ScoredRow> expected, List<ScoredRow> actual, string column)
    {
        float largest = 0;
        for (int r = 0; r < expected.Count; r++)
        {
            var want = expected[r].Values[column];
            var got = actual[r].Values[column];
            for (int i = 0; i < Math.Min(want.Length, got.Length); i++)
            {
                float difference = Math.Abs(want[i] - got[i]);
                largest = Math.Max(largest, float.IsNaN(difference) ? float.PositiveInfinity : difference);
            }
        }
        return largest;
    }
}
