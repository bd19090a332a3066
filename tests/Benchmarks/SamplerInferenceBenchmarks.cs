using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>
/// Inference: one sampling call through an affine grid under <c>no_grad</c> (eval mode, scoring). Linearized is then
/// bilinear sampling behind the sampler's checks; the Ratio column is the cost of that dispatch.
/// </summary>
[Config(typeof(Config))]
public class SamplerInferenceBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(12));
            WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        }
    }

    /// <summary>"batch x channels x Hin x Win -> Hout x Wout".</summary>
    [Params("64x3x50x50->36x36", "32x3x128x128->16x16", "16x3x256x256->128x128")]
    public string Shape { get; set; } = "";

    private readonly SamplerCase _case = new();

    [GlobalSetup]
    public void Setup() => _case.Setup(Shape);

    [GlobalCleanup]
    public void Cleanup() => _case.Dispose();

    [Benchmark(Baseline = true)]
    public void Bilinear() => _case.Inference(SamplingMode.Bilinear);

    [Benchmark]
    public void Linearized() => _case.Inference(SamplingMode.Linearized);
}
