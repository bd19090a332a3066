using System.Diagnostics;
using System.Globalization;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ml.Transforms.Training;

/// <summary>
/// The library's one mini-batch training loop, shared by the classifier's <c>TrainingEngine</c> and the learned
/// alignment (<c>AlignImages</c>); what differs between them — the loss, validation, keep-best — is the caller's.
/// Per epoch: a seeded shuffle, the batches read in that order from a <see cref="MiniBatchSource"/> (tensors in memory,
/// or the rows of a data view read ahead of the step), one dispose scope per batch, cancellation checked before every
/// batch, the caller's loss, the divergence guard (a non-finite loss, or one above
/// <see cref="MiniBatchSettings.LossLimit"/>), backward, the learning-rate factor, the optimizer step, a progress report
/// per batch; after the epoch the weights must be finite. Seeded: the shuffle comes from <c>Seed</c>, the random warps
/// the caller draws with <see cref="Perturbation"/> (<c>Seed</c> + 1) and the sampler's noise (<c>Seed</c> + 2, set on
/// the transformer for the loop's lifetime), so the same seed, data and settings give the same weights on the same
/// device, wherever the batches come from. Disposing it takes the noise generator off the transformer and puts the
/// model in eval mode.
/// </summary>
internal sealed class MiniBatchLoop : IDisposable
{
    private readonly nn.Module model;
    private readonly SpatialTransformerBase? transformer;
    private readonly OptimizerHelper optimizer;
    private readonly MiniBatchSettings settings;
    private readonly double[] baseRates;
    private readonly Generator shuffling;
    private readonly Generator perturbations;
    private readonly Generator noise;
    private long step;

    /// <param name="model">The network being trained (its parameters are what <paramref name="optimizer"/> updates).</param>
    /// <param name="transformer">Its spatial transformer, if any: it draws its sampler noise from the loop's generator.</param>
    /// <param name="optimizer">The update rule; its groups' learning rates are the base the rate factor scales.</param>
    /// <param name="count">Training examples per epoch.</param>
    /// <param name="settings">Epochs, batch size, seed, device, guard and reporting.</param>
    public MiniBatchLoop(nn.Module model, SpatialTransformerBase? transformer, OptimizerHelper optimizer, long count, MiniBatchSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.BatchSize, 1, nameof(settings));
        this.model = model;
        this.transformer = transformer;
        this.optimizer = optimizer;
        this.settings = settings;
        Count = count;
        Batches = (int)((count + settings.BatchSize - 1) / settings.BatchSize);
        baseRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        shuffling = new Generator((ulong)settings.Seed);
        perturbations = new Generator((ulong)settings.Seed + 1, settings.Device);
        noise = new Generator((ulong)settings.Seed + 2, settings.Device);
        if (transformer is not null)
            transformer.NoiseGenerator = noise;
    }

    /// <summary>Training examples per epoch.</summary>
    public long Count { get; }

    /// <summary>Batches per epoch (the last one may be smaller).</summary>
    public int Batches { get; }

    /// <summary>Optimizer steps over the whole run: <see cref="Batches"/> × epochs.</summary>
    public long TotalSteps => (long)Batches * settings.Epochs;

    /// <summary>
    /// A batch's random warps: (count, P) parameters of <paramref name="warp"/> with the strengths of
    /// <see cref="MiniBatchSettings.Perturbation"/>, drawn from the loop's generator (seed + 1, on the device); null
    /// when there is no perturbation.
    /// </summary>
    public Tensor? Perturbation(WarpFamily warp, long count, ScalarType dtype) => settings.Perturbation is { } strengths
        ? WarpPerturbation.Sample(warp, count, strengths, perturbations, dtype, settings.Device)
        : null;

    /// <summary>
    /// One epoch over the data in a fresh seeded order. <paramref name="lossOf"/> gets the (n) int64 CPU indices of a
    /// batch's examples and returns the batch's scalar loss and, where there are labels, the number it got right (a
    /// scalar tensor); it runs inside the batch's dispose scope.
    /// </summary>
    /// <returns>The epoch's mean loss, its accuracy (null without counts), its throughput and its duration.</returns>
    public (double Loss, double? Accuracy, double ImagesPerSecond, TimeSpan Elapsed) RunEpoch(int epoch, Func<Tensor, (Tensor Loss, Tensor? Correct)> lossOf)
    {
        using var indices = new IndexBatches(Count);
        return RunEpoch(epoch, indices, batch => lossOf(batch.Rows));
    }

    /// <summary>
    /// One epoch over <paramref name="data"/> (which must hold <see cref="Count"/> examples) in a fresh seeded order: the
    /// source reads the batches in that order (ahead of the step, for a streaming source). <paramref name="lossOf"/> gets
    /// each batch and returns its scalar loss and, where there are labels, the number it got right (a scalar tensor); it
    /// runs inside the batch's dispose scope. A batch whose examples could all not be read is skipped (its step still
    /// counts for the learning-rate schedule).
    /// </summary>
    /// <returns>The epoch's mean loss, its accuracy (null without counts), its throughput and its duration.</returns>
    /// <exception cref="InvalidDataException">Not one example of the epoch could be read.</exception>
    public (double Loss, double? Accuracy, double ImagesPerSecond, TimeSpan Elapsed) RunEpoch(int epoch, MiniBatchSource data, Func<MiniBatch, (Tensor Loss, Tensor? Correct)> lossOf)
    {
        if (data.Count != Count)
            throw new ArgumentException($"The data hold {data.Count} examples; the loop was made for {Count}.", nameof(data));
        var clock = Stopwatch.StartNew();
        model.train();
        double lossSum = 0;
        long correct = 0, seen = 0;
        bool counted = false;
        using (var order = randperm(Count, generator: shuffling))
        using (var batches = data.Open(order, settings.BatchSize, settings.CancellationToken))
        {
            for (int batch = 0; batch < Batches; batch++)
            {
                settings.CancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long start = (long)batch * settings.BatchSize;
                var examples = batches.Next();
                long n = examples.Count;
                if (n == 0)
                {
                    step++;
                    continue;
                }
                var (loss, right) = lossOf(examples);
                double value = loss.to(ScalarType.Float64).item<double>();
                if (!double.IsFinite(value) || value > settings.LossLimit)
                    throw DivergenceGuard.Diverged($"epoch {epoch}, batch {batch + 1} of {Batches} (examples {start + 1}–{start + examples.Requested} of {Count})",
                        double.IsFinite(value)
                            ? string.Format(CultureInfo.InvariantCulture, "the {0} is {1:G3}, more than {2}", settings.LossName, value, settings.LossLimitMeaning)
                            : $"the {settings.LossName} is {value}",
                        settings.LearningRates);
                optimizer.zero_grad();
                loss.backward();
                if (settings.RateFactor is { } factorAt)
                {
                    double factor = factorAt(step, TotalSteps);
                    foreach (var (group, rate) in optimizer.ParamGroups.Zip(baseRates))
                        group.LearningRate = rate * factor;
                }
                step++;
                optimizer.step();
                lossSum += value * n;
                seen += n;
                if (right is not null)
                {
                    correct += right.item<long>();
                    counted = true;
                }
                settings.Progress?.Invoke(new TrainingProgress(epoch, settings.Epochs, batch + 1, Batches, lossSum / seen,
                    counted ? (double)correct / seen : null, seen / clock.Elapsed.TotalSeconds, null));
            }
        }
        if (seen == 0)
            throw new InvalidDataException($"Not one of the {Count} training examples could be read in epoch {epoch}: there is nothing to train on.");
        DivergenceGuard.CheckParameters(model, $"epoch {epoch}", settings.LearningRates);
        return (lossSum / seen, counted ? (double)correct / seen : null, seen / clock.Elapsed.TotalSeconds, clock.Elapsed);
    }

    /// <summary>Sends the end-of-epoch report (<see cref="TrainingProgress.CompletedEpoch"/> set) to the progress callback.</summary>
    public void ReportEpoch(EpochMetrics metrics) =>
        settings.Progress?.Invoke(new TrainingProgress(metrics.Epoch, settings.Epochs, Batches, Batches, metrics.Loss, metrics.TrainingAccuracy,
            metrics.ImagesPerSecond, metrics));

    /// <inheritdoc />
    public void Dispose()
    {
        if (transformer is not null && ReferenceEquals(transformer.NoiseGenerator, noise))
            transformer.NoiseGenerator = null;
        shuffling.Dispose();
        perturbations.Dispose();
        noise.Dispose();
        model.eval();
    }
}

/// <summary>What <see cref="MiniBatchLoop"/> needs to know about a run.</summary>
/// <param name="Epochs">Passes over the data (for the step count and the reports).</param>
/// <param name="BatchSize">Examples per batch.</param>
/// <param name="Seed">Seed of the shuffle (+1 perturbations, +2 sampler noise).</param>
/// <param name="Device">Where the perturbation and noise generators live.</param>
/// <param name="LearningRates">The learning rates in use, named as the user set them, for a divergence message.</param>
internal sealed record MiniBatchSettings(int Epochs, int BatchSize, int Seed, Device Device, string LearningRates)
{
    /// <summary>What the loss is called in a divergence message. Default "training loss".</summary>
    public string LossName { get; init; } = "training loss";

    /// <summary>Strengths of the random warps <see cref="MiniBatchLoop.Perturbation"/> draws; null (default) = none.</summary>
    public PerturbationOptions? Perturbation { get; init; }

    /// <summary>A finite batch loss above this stops training too (Adam's bounded steps can leave a blown-up loss finite). Default +∞.</summary>
    public double LossLimit { get; init; } = double.PositiveInfinity;

    /// <summary>What <see cref="LossLimit"/> is, for the message, e.g. "ten times that of a uniform guess (23.0)".</summary>
    public string LossLimitMeaning { get; init; } = "the limit";

    /// <summary>The learning-rate factor at a step, given the step (0-based) and the total; null = constant rates.</summary>
    public Func<long, long, double>? RateFactor { get; init; }

    /// <summary>Called after every batch and every epoch, on the training thread.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Checked before every batch.</summary>
    public CancellationToken CancellationToken { get; init; }
}
