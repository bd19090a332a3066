using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>
/// Forward + backward of one sampling call through an affine grid (the STN case: the gradient goes to theta), per
/// sampler, at the three shapes of the sampler issues, with an input image that needs no gradient (an STN's raw
/// input) and with one that does (a transformer after other layers). The Ratio column is each sampler over Bilinear
/// at the same shape and input setting.
/// </summary>
[Config(typeof(Config))]
public class SamplerBenchmarks
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

    /// <summary>Whether the input image requires a gradient too (then both samplers also back-propagate into it).</summary>
    [Params(false, true)]
    public bool InputRequiresGrad { get; set; }

    private readonly SamplerCase _case = new();

    [GlobalSetup]
    public void Setup() => _case.Setup(Shape);

    [GlobalCleanup]
    public void Cleanup() => _case.Dispose();

    [Benchmark(Baseline = true)]
    public void Bilinear() => _case.ForwardBackward(SamplingMode.Bilinear, InputRequiresGrad);

    [Benchmark]
    public void Linearized() => _case.ForwardBackward(SamplingMode.Linearized, InputRequiresGrad);

    [Benchmark]
    public void MultiScale() => _case.ForwardBackward(SamplingMode.MultiScale, InputRequiresGrad);
}
