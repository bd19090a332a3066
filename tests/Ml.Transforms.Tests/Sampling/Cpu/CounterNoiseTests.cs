using Ml.Transforms.Sampling;
using Ml.Transforms.Sampling.Cpu;

namespace Ml.Transforms.Tests.Sampling.Cpu;

[TestClass]
public sealed class CounterNoiseTests
{
    [TestMethod]
    public void PairsAreIndependentStandardNormals()
    {
        const int count = 1 << 20;
        var (x, y) = Fill(seed: 5, first: 0, stride: 1, count);
        // With 2^20 samples the standard error of a mean is 0.001 and of a variance 0.0014: bounds of about 5 of them.
        Assert.AreEqual(0, x.Average(), 0.005, "mean x");
        Assert.AreEqual(0, y.Average(), 0.005, "mean y");
        Assert.AreEqual(1, x.Select(v => (double)v * v).Average(), 0.007, "variance x");
        Assert.AreEqual(1, y.Select(v => (double)v * v).Average(), 0.007, "variance y");
        Assert.AreEqual(0, x.Zip(y, (a, b) => (double)a * b).Average(), 0.005, "x and y of a pair are uncorrelated");
        Assert.AreEqual(0, x.Zip(x.Skip(1), (a, b) => (double)a * b).Average(), 0.005, "consecutive pairs are uncorrelated");
        // Tails: P(|z| > 2) = 0.0455, P(|z| > 3) = 0.0027 for a standard normal.
        Assert.AreEqual(0.0455, x.Count(v => Math.Abs(v) > 2) / (double)count, 0.001, "tail beyond 2");
        Assert.AreEqual(0.0027, y.Count(v => Math.Abs(v) > 3) / (double)count, 0.0003, "tail beyond 3");
        Assert.IsTrue(x.All(float.IsFinite) && y.All(float.IsFinite), "all finite");
    }

    [TestMethod]
    public void APairDependsOnlyOnItsSeedAndNumber()
    {
        var (x, y) = Fill(seed: 9, first: 0, stride: 1, count: 200);
        // Any start, stride and length (vector tails included) gives the same bits for the same pair number.
        foreach (var (first, stride, count) in new (ulong, ulong, int)[] { (37, 1, 11), (5, 7, 13), (0, 3, 1), (100, 1, 100) })
        {
            var (sx, sy) = Fill(seed: 9, first, stride, count);
            for (int k = 0; k < count; k++)
            {
                Assert.AreEqual(x[first + (ulong)k * stride], sx[k], $"x of pair {first + (ulong)k * stride}");
                Assert.AreEqual(y[first + (ulong)k * stride], sy[k], $"y of pair {first + (ulong)k * stride}");
            }
        }
        var (other, _) = Fill(seed: 10, first: 0, stride: 1, count: 200);
        Assert.IsLessThan(3, x.Zip(other).Count(p => p.First == p.Second), "another seed, another stream");
    }

    private static (float[] X, float[] Y) Fill(ulong seed, ulong first, ulong stride, int count)
    {
        var x = new float[count];
        var y = new float[count];
        CounterNoise.Fill(seed, first, stride, x, y);
        return (x, y);
    }
}
