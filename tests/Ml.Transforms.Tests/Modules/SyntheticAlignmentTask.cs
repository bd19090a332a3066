using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using Ml.Transforms.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Modules;

/// <summary>
/// A learning task small enough for a unit test: a bright square (side 8 px, soft 1 px edges) lies at a random offset of
/// up to ±6 px per axis in a dark 32×32 frame. A translation STN must learn to centre it: the loss is minus the correlation
/// of its output (at 32/factor) with the centred square sampled the same way; the alignment error is the distance in
/// input pixels between the predicted shift and the true one, on 256 held-out images. At 8× the output pixels are as
/// large as the square, the regime where bilinear sampling's gradient is mostly zero.
/// </summary>
internal static class SyntheticAlignmentTask
{
    public const int Size = 32;
    public const double MaxShift = 6;
    public const double HalfSide = 4;

    public sealed record Result(double InitialError, double FinalError);

    /// <summary>Trains a fresh STN (seeded) for <paramref name="steps"/> Adam steps of <paramref name="batch"/> images and measures the error before and after.</summary>
    public static Result Train(SamplingMode sampler, int downsampling, int seed, int steps = 600, int batch = 16, double learningRate = 5e-4)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var options = new SpatialTransformerOptions
        {
            Warp = WarpFamily.Translation,
            Sampler = sampler,
            Channels = 1,
            StandardizeImages = false, // synthetic images of one contrast: the raw sampler gradient is what is tested
            Downsampling = downsampling,
            SamplerOptions = new SamplerOptions { Generator = new Generator((ulong)seed) },
        };
        using var stn = new SpatialTransformer(options);
        var optimizer = optim.Adam(stn.parameters(), learningRate);
        using var data = new Generator((ulong)seed + 1000);
        var centred = Squares(zeros(1, 2, dtype: ScalarType.Float64));
        var target = Sample(centred, zeros(1, 2), options);

        var (testImages, testShifts) = Batch(256, data);
        double before = Error(stn, testImages, testShifts);
        stn.train();
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var (images, _) = Batch(batch, data);
            var output = stn.forward(images);
            // Correlation, not squared error: with squared error an empty output (the warp fled the frame) scores better
            // than a misplaced square, and training can run away.
            var loss = (output * target).mean().neg();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        return new Result(before, Error(stn, testImages, testShifts));
    }

    private static double Error(SpatialTransformer stn, Tensor images, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        stn.eval();
        var predicted = stn.Transform(images).Parameters;
        // Normalized shift → input pixels: 1 normalized unit = Size / 2 px.
        return (predicted.to(ScalarType.Float64) - shifts).Times(Size / 2.0).square().sum(1).sqrt().mean().item<double>();
    }

    private static (Tensor Images, Tensor Shifts) Batch(long n, Generator generator)
    {
        var shifts = rand(new[] { n, 2L }, ScalarType.Float64, generator: generator).Times(2).Minus(1).Times(MaxShift * 2 / Size);
        return (Squares(shifts).to(ScalarType.Float32), shifts);
    }

    /// <summary>(N, 1, 32, 32) squares whose centre sits at the normalized <paramref name="shifts"/>.</summary>
    private static Tensor Squares(Tensor shifts)
    {
        var coordinates = KeptScalars.Arange(Size, ScalarType.Float64).Plus(0.5).Times(2.0 / Size).Minus(1);
        var halfSide = HalfSide * 2 / Size;
        var edge = 1.0 * 2 / Size;
        Tensor Profile(Tensor centre) =>
            (coordinates.unsqueeze(0) - centre.unsqueeze(1)).abs().SubtractedFrom(halfSide).Over(edge).Plus(0.5).Clamped(0, 1);
        var x = Profile(shifts[.., 0]);
        var y = Profile(shifts[.., 1]);
        return (y.unsqueeze(2) * x.unsqueeze(1)).unsqueeze(1);
    }

    private static Tensor Sample(Tensor image, Tensor parameters, SpatialTransformerOptions options)
    {
        var grid = WarpGrid.ToGrid(parameters.to(ScalarType.Float32), WarpFamily.Translation, options.OutputHeightInUse, options.OutputWidthInUse);
        return GridSampler.GridSample(image.to(ScalarType.Float32), grid);
    }
}
