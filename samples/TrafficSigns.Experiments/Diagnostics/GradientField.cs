using Ml.Transforms.Sampling;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Diagnostics;

/// <summary>
/// The paper's gradient-direction figure as a measurement. Target: the identity warp of the image sampled bilinearly at
/// out × out (affine grid, alignCorners false, zeros padding). For each translation (tx, ty) of a gridSize × gridSize
/// lattice over [-extent, extent]², warp with [[1, 0, tx], [0, 1, ty]] using the sampler under test, take the MSE to
/// the target, back-propagate, and record dLoss/d(tx, ty). All translations run as one batch (items are independent).
/// </summary>
internal static class GradientField
{
    /// <summary>Measures one field.</summary>
    /// <param name="image">(1, C, H, W) or (C, H, W), values in [0, 1]; its device and dtype are used.</param>
    /// <param name="outputSize">Side of the warped output, e.g. 16, 32 or 64.</param>
    /// <param name="mode">Sampler under test.</param>
    /// <param name="options">Sampler settings (seed the generator for a reproducible field); null = defaults.</param>
    /// <param name="gridSize">Translations per axis; default 10 (100 cells).</param>
    /// <param name="extent">Largest |t| in normalized units; default 1 (half the image).</param>
    public static GradientFieldResult Measure(Tensor image, int outputSize, SamplingMode mode, SamplerOptions? options = null, int gridSize = 10, double extent = 1.0)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() == 3)
            image = image.unsqueeze(0);
        if (image.dim() != 4 || image.shape[0] != 1)
            throw new ArgumentException($"image must be (1, C, H, W) or (C, H, W); got shape [{string.Join(", ", image.shape)}].", nameof(image));
        if (outputSize < 1)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "outputSize must be at least 1 pixel.");
        if (gridSize < 2)
            throw new ArgumentOutOfRangeException(nameof(gridSize), gridSize, "gridSize must be at least 2.");
        if (!(extent > 0) || !double.IsFinite(extent))
            throw new ArgumentOutOfRangeException(nameof(extent), extent, "extent must be a finite number > 0.");

        using var scope = NewDisposeScope();
        using var gradMode = enable_grad();
        image = image.detach();
        long channels = image.shape[1];
        int cells = gridSize * gridSize;
        var dtype = image.dtype;
        var device = image.device;

        Tensor target;
        using (no_grad())
        {
            var identity = eye(2, 3, dtype, device).unsqueeze(0);
            var identityGrid = nn.functional.affine_grid(identity, new long[] { 1, channels, outputSize, outputSize }, align_corners: false);
            target = GridSampler.GridSample(image, identityGrid, SamplingMode.Bilinear, PaddingMode.Zeros, alignCorners: false);
        }

        var steps = linspace(-extent, extent, gridSize, dtype: dtype, device: device);
        var ty = steps.repeat_interleave(gridSize);
        var tx = steps.repeat(gridSize);
        var translation = stack(new[] { tx, ty }, 1).detach().requires_grad_(true); // (B, 2)
        var linear = eye(2, dtype: dtype, device: device).unsqueeze(0).expand(cells, 2, 2);
        var theta = cat(new[] { linear, translation.unsqueeze(-1) }, -1); // (B, 2, 3)
        var grid = nn.functional.affine_grid(theta, new long[] { cells, channels, outputSize, outputSize }, align_corners: false);
        var batch = image.expand(cells, -1, -1, -1);
        var warped = GridSampler.GridSample(batch, grid, mode, PaddingMode.Zeros, alignCorners: false, options);
        var loss = (warped - target).square().mean(new long[] { 1, 2, 3 }).sum();
        loss.backward();

        var gradient = translation.grad!.to(ScalarType.Float64).cpu();
        var t = translation.detach().to(ScalarType.Float64).cpu();
        return new GradientFieldResult(
            mode,
            outputSize,
            t[.., 0].data<double>().ToArray(),
            t[.., 1].data<double>().ToArray(),
            gradient[.., 0].data<double>().ToArray(),
            gradient[.., 1].data<double>().ToArray());
    }
}
