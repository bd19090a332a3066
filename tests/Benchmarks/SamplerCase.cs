using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace Benchmarks;

/// <summary>The tensors of one benchmark shape: a seeded image and a batch of affine parameters.</summary>
internal sealed class SamplerCase : IDisposable
{
    private Tensor _input = null!;
    private Tensor _theta = null!;
    private long[] _outputSize = null!;
    private readonly SamplerOptions _options = new() { Generator = new Generator(0) };

    /// <param name="shape">"batch x channels x Hin x Win -> Hout x Wout".</param>
    public void Setup(string shape)
    {
        var parts = shape.Split("->");
        var inShape = parts[0].Split('x').Select(long.Parse).ToArray();
        var outShape = parts[1].Split('x').Select(long.Parse).ToArray();
        using var g = new Generator(1);
        _input = rand(inShape, generator: g);
        var theta = tensor(new float[] { 0.8f, 0.1f, 0.05f, -0.1f, 0.8f, -0.05f }).reshape(1, 2, 3);
        _theta = theta.expand(inShape[0], 2, 3).contiguous().requires_grad_(true);
        _outputSize = new[] { inShape[0], inShape[1], outShape[0], outShape[1] };
    }

    /// <summary>affine_grid → sampler → sum → backward to theta (and to a fresh input leaf if asked).</summary>
    public void ForwardBackward(SamplingMode mode, bool inputRequiresGrad)
    {
        using var scope = NewDisposeScope();
        var input = inputRequiresGrad ? _input.detach().requires_grad_(true) : _input;
        var grid = nn.functional.affine_grid(_theta, _outputSize, align_corners: false);
        var output = GridSampler.GridSample(input, grid, mode, PaddingMode.Zeros, alignCorners: false, _options);
        output.sum().backward();
        _theta.grad!.zero_();
    }

    /// <summary>affine_grid → sampler under no_grad, the result reduced so the work cannot be skipped.</summary>
    public void Inference(SamplingMode mode)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grid = nn.functional.affine_grid(_theta, _outputSize, align_corners: false);
        GridSampler.GridSample(_input, grid, mode, PaddingMode.Zeros, alignCorners: false, _options).sum();
    }

    public void Dispose()
    {
        _input?.Dispose();
        _theta?.Dispose();
    }
}
