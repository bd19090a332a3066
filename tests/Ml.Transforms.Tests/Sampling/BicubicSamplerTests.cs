using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Sampling;

[TestClass]
public sealed class BicubicSamplerTests
{
    [TestMethod]
    public void MatchesAScalarTranscriptionOfLibTorchsBicubicKernel()
    {
        foreach (var (dtype, align, padding) in Grids.Configurations)
        {
            using var scope = NewDisposeScope();
            var input = Grids.Image(2, 2, 5, 7, dtype, seed: 11);
            var grid = Grids.Random(2, 4, 3, dtype, seed: 12, extent: 1.6);
            var actual = GridSampler.GridSample(input, grid, SamplingMode.Bicubic, padding, align);
            var expected = BicubicReference.Sample(input.to(ScalarType.Float64), grid.to(ScalarType.Float64), padding, align);
            double tolerance = dtype == ScalarType.Float64 ? 1e-12 : 2e-6;
            TensorAssert.Close(expected, actual, tolerance, $"{padding} align {align} {dtype}");
        }
    }

    [TestMethod]
    public void ReturnsThePixelsAtPixelCentres()
    {
        var input = Grids.Image(1, 3, 6, 6, ScalarType.Float64, seed: 13);
        // alignCorners true: normalized -1 + 2i/5 is the centre of pixel i.
        var grid = nn.functional.affine_grid(eye(2, 3, ScalarType.Float64).unsqueeze(0), new long[] { 1, 3, 6, 6 }, align_corners: true);
        var output = GridSampler.GridSample(input, grid, SamplingMode.Bicubic, PaddingMode.Border, alignCorners: true);
        TensorAssert.Close(input, output, 1e-12);
    }

    [TestMethod]
    public void GradientsMatchFiniteDifferences()
    {
        var input = Grids.Image(1, 2, 6, 5, ScalarType.Float64, seed: 14);
        var grid = Grids.Random(1, 3, 2, ScalarType.Float64, seed: 15);
        var weights = Grids.Image(1, 2, 3, 2, ScalarType.Float64, seed: 16);
        Tensor LossOfGrid(Tensor g) => (GridSampler.GridSample(input, g, SamplingMode.Bicubic, PaddingMode.Reflection) * weights).sum();
        Tensor LossOfInput(Tensor x) => (GridSampler.GridSample(x, grid, SamplingMode.Bicubic, PaddingMode.Reflection) * weights).sum();
        TensorAssert.Close(FiniteDifferences.Gradient(LossOfGrid, grid), FiniteDifferences.Autograd(LossOfGrid, grid), 1e-6);
        TensorAssert.Close(FiniteDifferences.Gradient(LossOfInput, input), FiniteDifferences.Autograd(LossOfInput, input), 1e-6);
    }

    /// <summary>
    /// A plain scalar transcription of libtorch's CPU bicubic grid sampler (GridSampler.h: grid_sampler_unnormalize,
    /// get_cubic_upsample_coefficients, get_value_bounded with reflect/clip per tap), kept independent of the library's code.
    /// </summary>
    private static class BicubicReference
    {
        private const double A = -0.75;

        public static Tensor Sample(Tensor input, Tensor grid, PaddingMode padding, bool align)
        {
            long n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
            long ho = grid.shape[1], wo = grid.shape[2];
            var inp = input.contiguous().data<double>().ToArray();
            var g = grid.contiguous().data<double>().ToArray();
            var output = new double[n * c * ho * wo];
            for (long b = 0; b < n; b++)
            for (long i = 0; i < ho; i++)
            for (long j = 0; j < wo; j++)
            {
                long gi = ((b * ho + i) * wo + j) * 2;
                double ix = Unnormalize(g[gi], w, align), iy = Unnormalize(g[gi + 1], h, align);
                double x0 = Math.Floor(ix), y0 = Math.Floor(iy);
                var cx = Coefficients(ix - x0);
                var cy = Coefficients(iy - y0);
                for (long ch = 0; ch < c; ch++)
                {
                    double sum = 0;
                    for (int ky = 0; ky < 4; ky++)
                    for (int kx = 0; kx < 4; kx++)
                        sum += cx[kx] * cy[ky] * Bounded(inp, b, ch, c, h, w, x0 - 1 + kx, y0 - 1 + ky, padding, align);
                    output[((b * c + ch) * ho + i) * wo + j] = sum;
                }
            }
            return tensor(output, new[] { n, c, ho, wo });
        }

        private static double Unnormalize(double x, long size, bool align) =>
            align ? (x + 1) / 2 * (size - 1) : ((x + 1) * size - 1) / 2;

        private static double[] Coefficients(double t) => new[]
        {
            Convolution2(t + 1), Convolution1(t), Convolution1(1 - t), Convolution2(2 - t),
        };

        private static double Convolution1(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;

        private static double Convolution2(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

        private static double Bounded(double[] inp, long b, long ch, long c, long h, long w, double x, double y, PaddingMode padding, bool align)
        {
            long xi = (long)ComputeCoordinate(x, w, padding, align);
            long yi = (long)ComputeCoordinate(y, h, padding, align);
            if (xi < 0 || xi >= w || yi < 0 || yi >= h)
                return 0;
            return inp[((b * c + ch) * h + yi) * w + xi];
        }

        private static double ComputeCoordinate(double coord, long size, PaddingMode padding, bool align)
        {
            if (padding == PaddingMode.Border)
                return Math.Min(size - 1, Math.Max(coord, 0));
            if (padding == PaddingMode.Reflection)
            {
                coord = align ? Reflect(coord, 0, 2 * (size - 1)) : Reflect(coord, -1, 2 * size - 1);
                return Math.Min(size - 1, Math.Max(coord, 0));
            }
            return coord;
        }

        private static double Reflect(double x, long twiceLow, long twiceHigh)
        {
            if (twiceLow == twiceHigh)
                return 0;
            double min = twiceLow / 2.0, span = (twiceHigh - twiceLow) / 2.0;
            x = Math.Abs(x - min);
            double extra = x % span;
            int flips = (int)Math.Floor(x / span);
            return flips % 2 == 0 ? extra + min : span - extra + min;
        }
    }
}
