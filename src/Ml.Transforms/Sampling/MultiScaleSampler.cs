using Ml.Transforms.Devices;
using Ml.Transforms.Sampling.Cpu;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>
/// The paper's multi-scale baseline: bilinear samples at the same normalized points from a pyramid of the input
/// (level 0 = the input, each next level 2× average-pooled, odd sizes rounded down: <see cref="AveragePyramid"/>, built
/// once per call), averaged. Gradients flow through every level to the grid and to the input.
/// </summary>
internal static class MultiScaleSampler
{
    public static Tensor Sample(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners, SamplerOptions options)
    {
        long hIn = input.shape[2], wIn = input.shape[3], hOut = grid.shape[1], wOut = grid.shape[2];
        int levels = options.Levels > 0 ? options.Levels : AutomaticLevels(hIn, wIn, hOut, wOut);

        using var scope = NewDisposeScope();
        var pyramid = AveragePyramid.Build(input, levels);
        var sum = LibTorchSampler.Bilinear(input, grid, padding, alignCorners);
        foreach (var level in pyramid)
            sum = sum.Plus(LibTorchSampler.Bilinear(level, grid, padding, alignCorners));
        return sum.Over(pyramid.Count + 1).MoveToOuterDisposeScope();
    }

    /// <summary>1 + round(log2(min(Hin / Hout, Win / Wout))), at least 1: levels down to about the output size.</summary>
    public static int AutomaticLevels(long hIn, long wIn, long hOut, long wOut)
    {
        double ratio = Math.Min((double)hIn / hOut, (double)wIn / wOut);
        return ratio <= 1 ? 1 : 1 + (int)Math.Round(Math.Log2(ratio));
    }
}
