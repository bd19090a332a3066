using TorchSharp;
using System.Diagnostics;
using Ml.Transforms.Alignment;
using Ml.Transforms.Geometry;
using Ml.Transforms.Sampling;
using TrafficSigns.Experiments.Geometry;
using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Alignment;

/// <summary>
/// The image-alignment experiment of Jiang et al. (ICCV 2019): how often does gradient descent through a sampler
/// recover a randomly perturbed crop of a photograph, as the alignment runs at coarser and coarser resolution?
/// <para>
/// Protocol. The crop C is the square [-s, s]² of the photo's normalized frame (<see cref="AlignmentRecallOptions.CropScale"/>).
/// For each strength σ, <see cref="AlignmentRecallOptions.Trials"/> homographies P are drawn relative to the crop
/// (<see cref="WarpPerturbation"/> with both strengths σ, so σ is in crop units); the true warp is G = C ∘ P and the
/// reference is the photo rendered through G (supersampled, see <see cref="AlignmentRecallOptions.ReferenceSupersampling"/>).
/// For each downsampling factor f and each sampler, <see cref="SpatialAlignment.Align"/> starts at C (the identity
/// relative to the crop) and aligns the photo itself with the reference at output size round(CropSize / f); all trials of
/// a cell form one batch, and every sampler and factor sees the same perturbations (a paired comparison).
/// </para>
/// <para>
/// Score. With Ĝ the estimate, the crop's corners c_k = (±1, ±1) are mapped by C⁻¹ ∘ Ĝ and by P; the corner error is the
/// mean over the 4 corners of their distance in pixels of the output size (normalized distance × outputSize / 2). A trial
/// succeeds when it is below <see cref="AlignmentRecallOptions.SuccessThreshold"/>; the same threshold for every sampler.
/// Each row also reports the recall and error of the starting point, since at small strengths and strong downsampling
/// some perturbations are already under one output pixel.
/// </para>
/// <para>
/// Cost: the defaults (4 strengths × 4 factors × 3 samplers, 20 trials, 100 steps, 128-px crop) run thousands of
/// small-tensor steps per photograph, where libtorch's worker threads mostly wait on each other, so one thread
/// (<c>torch.set_num_threads(1)</c>) is the better setting (measured: docs/results.md, section 3, "Run time").
/// </para>
/// </summary>
internal static class AlignmentRecall
{
    /// <summary>Runs every (strength, downsampling, sampler) cell.</summary>
    /// <param name="photo">(1, C, H, W) floating point, finite, e.g. from <see cref="Imaging.ImageTensors.Load"/>; its device runs the experiment.</param>
    /// <param name="options">Settings; null = the defaults of <see cref="AlignmentRecallOptions"/>.</param>
    /// <param name="progress">Called (synchronously, on the calling thread) with each finished cell; null = silent.</param>
    /// <param name="cancellationToken">Checked between cells.</param>
    /// <returns>The table.</returns>
    public static AlignmentRecallResult Run(
        Tensor photo,
        AlignmentRecallOptions? options = null,
        Action<AlignmentRecallRow>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        options ??= new AlignmentRecallOptions();
        options.Validate();
        if (photo.dim() != 4 || photo.shape[0] != 1)
            throw new ArgumentException($"photo must be one image (1, C, H, W); got shape [{string.Join(", ", photo.shape)}].", nameof(photo));
        if (!is_floating_point(photo))
            throw new ArgumentException($"photo must be floating point; got {photo.dtype}.", nameof(photo));
        using (var check = NewDisposeScope())
            if (!photo.isfinite().all().item<bool>())
                throw new ArgumentException("photo contains NaN or infinite values.", nameof(photo));

        var clock = Stopwatch.StartNew();
        const WarpFamily family = WarpFamily.Homography;
        var dtype = photo.dtype;
        var device = photo.device;
        var rows = new List<AlignmentRecallRow>();
        int trials = options.Trials;
        int renderSize = options.CropSize * Supersampling(options, photo.shape[2], photo.shape[3]);

        using var source = photo.detach();
        using var crop = CropWarp(options.CropScale, dtype, device);
        foreach (double strength in options.Strengths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)options.Seed, device);
            var perturbation = WarpPerturbation.Sample(family, trials, strength, generator, dtype, device);
            var truth = WarpComposition.Compose(crop.expand(trials, -1), perturbation, family);
            Tensor reference;
            using (no_grad())
            {
                var grid = WarpGrid.ToGrid(truth, family, renderSize, renderSize, alignCorners: false);
                reference = GridSampler.GridSample(source.expand(trials, -1, -1, -1), grid, SamplingMode.Bilinear, PaddingMode.Zeros, alignCorners: false);
            }
            var identity = WarpMatrices.Identity(family, trials, dtype, device);

            foreach (int factor in options.Downsamplings)
            {
                int outputSize = Math.Max(1, (int)Math.Round((double)options.CropSize / factor));
                var initialErrors = CornerErrors(identity, perturbation, family, outputSize);
                foreach (var sampler in options.Samplers)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var cellScope = NewDisposeScope();
                    var result = SpatialAlignment.Align(source, reference, options.ToAlignmentOptions(sampler, outputSize), crop);
                    var relative = WarpComposition.Compose(WarpComposition.Inverse(crop, family).expand(trials, -1), result.Parameters, family);
                    var errors = CornerErrors(relative, perturbation, family, outputSize);
                    var row = Summarize(strength, sampler, factor, outputSize, errors, initialErrors, options.SuccessThreshold);
                    rows.Add(row);
                    progress?.Invoke(row);
                }
            }
        }
        return new AlignmentRecallResult(rows, options.SuccessThreshold, clock.Elapsed);
    }

    /// <summary>
    /// Per trial, the mean over the 4 canonical corners of |M(estimate)·c - M(truth)·c| in pixels of a square output of
    /// side <paramref name="outputSize"/> (normalized distance × outputSize / 2, alignCorners = false); NaN where the
    /// estimate is not finite.
    /// </summary>
    /// <param name="estimate">(N, P) warps relative to the crop.</param>
    /// <param name="truth">(N, P) the true warps relative to the crop.</param>
    /// <param name="family">Their family.</param>
    /// <param name="outputSize">Side of the output, pixels.</param>
    /// <returns>N corner errors.</returns>
    public static double[] CornerErrors(Tensor estimate, Tensor truth, WarpFamily family, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(truth);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = truth.shape[0];
        var corners = WarpFitting.CanonicalCorners(ScalarType.Float64, truth.device).expand(n, 4, 2);
        var a = WarpComposition.TransformPoints(estimate.detach().to(ScalarType.Float64), corners, family);
        var b = WarpComposition.TransformPoints(truth.detach().to(ScalarType.Float64), corners, family);
        // One normalized unit is outputSize / 2 pixels. (A Scalar kept alive across the call: TorchSharp 0.107's temporary
        // Scalars can be freed by the finalizer while libtorch reads them; docs/performance.md.)
        using var pixelsPerUnit = (outputSize / 2.0).ToScalar();
        var distance = (a - b).square().sum(2).sqrt().mean(new long[] { 1 }).mul(pixelsPerUnit);
        return distance.cpu().data<double>().ToArray();
    }

    /// <summary>The crop warp [-s, s]²: homography parameters (1, 8) of diag(s, s, 1).</summary>
    internal static Tensor CropWarp(double scale, ScalarType dtype, Device device) =>
        tensor(new[] { scale - 1, 0, 0, 0, scale - 1, 0, 0, 0 }, dtype: dtype, device: device).view(1, 8);

    private static int Supersampling(AlignmentRecallOptions options, long height, long width)
    {
        if (options.ReferenceSupersampling > 0)
            return options.ReferenceSupersampling;
        double cropPixels = options.CropScale * Math.Max(height, width);
        return Math.Max(2, (int)Math.Ceiling(cropPixels / options.CropSize));
    }

    private static AlignmentRecallRow Summarize(double strength, SamplingMode sampler, int factor, int outputSize,
        double[] errors, double[] initialErrors, double threshold)
    {
        int trials = errors.Length;
        var finite = errors.Where(double.IsFinite).ToArray();
        var sorted = errors.Select(e => double.IsFinite(e) ? e : double.PositiveInfinity).OrderBy(e => e).ToArray();
        double median = trials % 2 == 1 ? sorted[trials / 2] : (sorted[trials / 2 - 1] + sorted[trials / 2]) / 2;
        return new AlignmentRecallRow(
            strength, sampler, factor, outputSize, trials,
            Successes: errors.Count(e => e < threshold),
            MeanCornerError: finite.Length == 0 ? double.NaN : finite.Average(),
            MedianCornerError: median,
            InitialSuccesses: initialErrors.Count(e => e < threshold),
            MeanInitialCornerError: initialErrors.Average(),
            Diverged: trials - finite.Length);
    }
}
