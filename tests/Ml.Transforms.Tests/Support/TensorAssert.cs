using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Support;

internal static class TensorAssert
{
    /// <summary>Same shape and every element equal (NaN never equals).</summary>
    public static void Equal(Tensor expected, Tensor actual, string message = "")
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"shape {message}");
        Assert.IsTrue(expected.eq(actual).all().item<bool>(),
            $"tensors differ {message}: max |diff| = {(expected - actual).abs().max().to(ScalarType.Float64).item<double>():G6}");
    }

    /// <summary>Same shape and max |expected - actual| ≤ tolerance.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string message = "")
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"shape {message}");
        double diff = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.IsTrue(diff <= tolerance, $"max |diff| = {diff:G6} > {tolerance:G3} {message}");
    }

    public static void Close(double[] expected, double[] actual, double tolerance, string message = "")
    {
        Assert.HasCount(expected.Length, actual, message);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]:G8}, got {actual[i]:G8} (tolerance {tolerance:G3}) {message}");
    }

    /// <summary>max |t| as a double, whatever the dtype.</summary>
    public static double MaxAbs(Tensor t) => t.abs().max().to(ScalarType.Float64).item<double>();

    public static void AllFinite(Tensor t, string message = "") =>
        Assert.IsTrue(t.isfinite().all().item<bool>(), $"non-finite values {message}");
}
