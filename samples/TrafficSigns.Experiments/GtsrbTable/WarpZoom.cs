using TorchSharp;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using TrafficSigns.Experiments.Geometry;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>
/// How much a spatial transformer zooms (the poster's observation that linearized sampling makes the STN zoom in more),
/// per image: |det M| of the predicted warp (its area scale at the output's centre) and the area of the quadrilateral
/// the output's corners map to, as a fraction of the canonical frame (1 = the frame itself; below 1 = zoomed in).
/// </summary>
internal sealed record WarpZoom(double[] Determinant, double[] Area)
{
    /// <summary>The zoom of a batch of warp parameters (N, P) of <paramref name="family"/>.</summary>
    public static WarpZoom Of(Tensor parameters, WarpFamily family)
    {
        using var scope = NewDisposeScope();
        var p = parameters.detach().to(ScalarType.Float64);
        var determinant = linalg.det(WarpMatrices.ToMatrix(p, family)).abs();
        var corners = WarpComposition.TransformPoints(p, WarpFitting.CanonicalCorners(ScalarType.Float64, p.device).expand(p.shape[0], 4, 2), family);
        var x = corners[.., .., 0];
        var y = corners[.., .., 1];
        using var eight = 8.ToScalar();   // shoelace area / 2, over the canonical square's area 4; kept alive across the call (docs/performance.md)
        var area = ((x * y.roll(-1, 1)) - (x.roll(-1, 1) * y)).sum(1).abs().div(eight);
        return new WarpZoom(determinant.cpu().data<double>().ToArray(), area.cpu().data<double>().ToArray());
    }

    /// <summary>The zoom of <paramref name="model"/>'s warps over an image set, optionally under seeded perturbations (eval mode, no gradients).</summary>
    public static WarpZoom Over(SpatialClassifier model, Tensor images, double? perturbationStrength, CancellationToken cancellation, int seed = 0)
    {
        var parameter = model.parameters().First();
        var (device, dtype) = (parameter.device, parameter.dtype);
        var family = model.Options.Transformer.Warp;
        bool training = model.training;
        model.eval();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, device);
        var determinants = new List<double>();
        var areas = new List<double>();
        try
        {
            for (long start = 0; start < images.shape[0]; start += 200)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long n = Math.Min(200, images.shape[0] - start);
                var warp = perturbationStrength is { } strength ? WarpPerturbation.Sample(family, n, strength, generator, dtype, device) : null;
                var zoom = Of(model.Run(images.narrow(0, start, n).to(dtype, device), warp).Parameters, family);
                determinants.AddRange(zoom.Determinant);
                areas.AddRange(zoom.Area);
            }
        }
        finally
        {
            model.train(training);
        }
        return new WarpZoom(determinants.ToArray(), areas.ToArray());
    }

    /// <summary>Mean area.</summary>
    public double MeanArea => Area.Length == 0 ? double.NaN : Area.Average();

    /// <summary>Sample standard deviation of the area over images.</summary>
    public double AreaSpread
    {
        get
        {
            if (Area.Length < 2) return double.NaN;
            double mean = MeanArea;
            return Math.Sqrt(Area.Sum(a => (a - mean) * (a - mean)) / (Area.Length - 1));
        }
    }
}
