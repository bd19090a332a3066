using System.Diagnostics;
using Ml.Transforms.Sampling;

namespace Benchmarks;

/// <summary>
/// The sampler ratios from a loop of plain calls, without BenchmarkDotNet (its own process, pilot and overhead
/// subtraction): per shape and input-gradient setting, Bilinear and Linearized forward + backward alternate call by
/// call after a warm-up, and the ratio is of the medians. Run as
/// <c>dotnet run -c Release --project tests/Benchmarks -- plain-loop [calls]</c>; the environment (OMP_WAIT_POLICY,
/// MLLINEARIZED_KERNEL_THREADS, OMP_NUM_THREADS) is the process's, so a script can compare settings side by side.
/// </summary>
internal static class PlainLoopRatios
{
    private const int Warmup = 20;

    private static readonly string[] Shapes = ["64x3x50x50->36x36", "32x3x128x128->16x16", "16x3x256x256->128x128"];

    public static void Run(int calls)
    {
        // The first library type touched (SamplerCase's SamplerOptions) runs the library's module initializer before
        // libtorch loads, as in an app whose first TorchSharp call goes through the library; so print nothing of
        // torch's before that.
        using (var first = new SamplerCase())
            Console.WriteLine($"plain-loop: {calls} calls each, OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}, " +
                $"GOMP_SPINCOUNT={Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") ?? "(unset)"}, " +
                $"MLLINEARIZED_KERNEL_THREADS={Environment.GetEnvironmentVariable("MLLINEARIZED_KERNEL_THREADS") ?? "(unset)"}, torch threads {TorchSharp.torch.get_num_threads()}");
        Console.WriteLine("shape | input grad | bilinear median ms | linearized median ms | ratio");
        foreach (var shape in Shapes)
            foreach (bool inputGrad in new[] { false, true })
            {
                using var data = new SamplerCase();
                data.Setup(shape);
                var bilinear = new List<double>();
                var linearized = new List<double>();
                for (int i = 0; i < calls + Warmup; i++)
                {
                    double b = Time(() => data.ForwardBackward(SamplingMode.Bilinear, inputGrad));
                    double l = Time(() => data.ForwardBackward(SamplingMode.Linearized, inputGrad));
                    if (i < Warmup) continue;
                    bilinear.Add(b);
                    linearized.Add(l);
                }
                double mb = Median(bilinear), ml = Median(linearized);
                Console.WriteLine(FormattableString.Invariant($"{shape} | {inputGrad} | {mb:F3} | {ml:F3} | {ml / mb:F2}"));
            }
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
