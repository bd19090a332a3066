using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using TrafficSigns.Experiments.Gtsrb;
using Ml.Trainers.Training;
using Ml.Transforms.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>
/// Training throughput (issue "Step 3"): ONE epoch of the plain TorchSharp engine over the GTSRB subset
/// (<see cref="BenchmarkData"/>, 32×32, the library's recipe: Adam, batch 100, random perturbation warps; CPU, 4×
/// downsampling) per architecture × training sampler × numerics path (libtorch's default, or the oneDNN-off fallback). Each invocation builds a fresh model (seeded, cheap) and trains it one epoch;
/// the Images/s column is the image count over the mean epoch time.
/// </summary>
[Config(typeof(Config))]
public class TrainingBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new ThroughputColumn(() => BenchmarkData.Samples().Count));
            WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        }
    }

    [Params(SpatialArchitecture.None, SpatialArchitecture.Stn, SpatialArchitecture.InverseCompositionalStn)]
    public SpatialArchitecture Architecture { get; set; }

    /// <summary>
    /// True: the numerics self-check's fallback (oneDNN off for the process, <see cref="TorchNumerics.Check"/> with
    /// forceFallback), the path a CPU with wrong oneDNN convolution gradients trains on. Each case runs in its own process.
    /// </summary>
    [Params(false, true)]
    public bool NumericsFallback { get; set; }

    private Tensor _images = null!;
    private Tensor _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var numerics = TorchNumerics.Check(CPU, forceFallback: NumericsFallback);
        Console.WriteLine($"// {numerics.Summary}");
        var samples = BenchmarkData.Samples();
        _images = GtsrbTensors.ToImageTensor(samples, 32, 32);
        _labels = GtsrbTensors.ToLabelTensor(samples);
        Console.WriteLine($"// {samples.Count} GTSRB images of 32x32 from {BenchmarkData.GtsrbRoot}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _images.Dispose();
        _labels.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double Bilinear() => TrainOneEpoch(SamplingMode.Bilinear);

    [Benchmark]
    public double Linearized() => TrainOneEpoch(SamplingMode.Linearized);

    private double TrainOneEpoch(SamplingMode sampler)
    {
        manual_seed(0);
        using var model = new SpatialClassifier(new SpatialClassifierOptions
        {
            Architecture = Architecture,
            ClassCount = GtsrbClasses.Count,
            Transformer = new SpatialTransformerOptions { Downsampling = 4, Sampler = sampler },
        });
        var result = TrainingEngine.Train(model, _images, _labels, new TrainingOptions
        {
            Epochs = 1, Device = ComputeDevice.Cpu, // the library's recipe otherwise (Adam, batch 100, warm-up)
        });
        return result.History[0].Loss;
    }
}
