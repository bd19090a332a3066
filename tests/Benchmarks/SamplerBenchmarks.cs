using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>
/// Forward + backward of one sampling call through an affine grid (the STN case: the gradient goes to theta), per
/// sampler, at the three shapes of issue #2. The Ratio column is each sampler over Bilinear at the same shape.
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

    private Tensor _input = null!;
    private Tensor _theta = null!;
    private long[] _outputSize = null!;
    private readonly SamplerOptions _options = new() { Generator = new Generator(0) };

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split("->");
        var inShape = parts[0].Split('x').Select(long.Parse).ToArray();
        var outShape = parts[1].Split('x').Select(long.Parse).ToArray();
        using var g = new Generator(1);
        _input = rand(inShape, generator: g);
        var theta = tensor(new float[] { 0.8f, 0.1f, 0.05f, -0.1f, 0.8f, -0.05f }).reshape(1, 2, 3);
        _theta = theta.expand(inShape[0], 2, 3).contiguous().requires_grad_(true);
        _outputSize = new[] { inShape[0], inShape[1], outShape[0], outShape[1] };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input.Dispose();
        _theta.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Bilinear() => ForwardBackward(SamplingMode.Bilinear);

    [Benchmark]
    public void Linearized() => ForwardBackward(SamplingMode.Linearized);

    [Benchmark]
    public void MultiScale() => ForwardBackward(SamplingMode.MultiScale);

    private void ForwardBackward(SamplingMode mode)
    {
        using var scope = NewDisposeScope();
        var grid = nn.functional.affine_grid(_theta, _outputSize, align_corners: false);
        var output = GridSampler.GridSample(_input, grid, mode, PaddingMode.Zeros, alignCorners: false, _options);
        output.sum().backward();
        _theta.grad!.zero_();
    }
}
