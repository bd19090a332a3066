using Ml.Transforms.Training;
using Ml.Transforms.Devices;
using Ml.Transforms.Geometry;
using Ml.Transforms.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Ml.Transforms.Checks;

namespace Ml.Trainers.Training;

/// <summary>
/// A plain TorchSharp training loop for <see cref="SpatialClassifier"/>s (no ML.NET types): shuffled mini-batches, SGD
/// with separate learning rates for the classifier and the geometric predictor, a fresh random warp per training image
/// that the network has to undo, cross-entropy, per-epoch metrics, one dispose scope per batch, cancellation and a
/// progress callback. Seeded: the same seed, data and options give the same weights on the same device. Before the first
/// step it runs <see cref="TorchNumerics.EnsureChecked"/> on the device; a non-finite loss, a batch loss above ten times
/// that of a uniform guess (10·ln classes), non-finite weights, or an epoch whose learned warps sampled more than three quarters of
/// the classifier's grid points outside the image (a GeometricLearningRate far too high) stop training with an
/// <see cref="InvalidOperationException"/> and the model gets back the weights it came with.
/// </summary>
public static class TrainingEngine
{
    /// <summary>Trains <paramref name="model"/> in place (moving it to the chosen device).</summary>
    /// <param name="model">The network; its input size and class count must match the data.</param>
    /// <param name="images">(N, C, H, W) floating-point images in [0, 1], on any device (batches are moved).</param>
    /// <param name="labels">(N) int64 class indices in [0, classes).</param>
    /// <param name="options">Settings; null = defaults.</param>
    /// <param name="validationImages">Optional held-out images for per-epoch validation accuracy and keep-best.</param>
    /// <param name="validationLabels">Their labels.</param>
    /// <param name="progress">Called after every batch and every epoch, on the training thread.</param>
    /// <param name="cancellationToken">Checked before every batch: training stops within one batch with <see cref="OperationCanceledException"/>.</param>
    /// <returns><c>History</c>: the metrics of every epoch, in order; <c>BestEpoch</c>: the epoch whose weights the model holds now (the best validation epoch with <see cref="TrainingOptions.KeepBest"/>, else the last).</returns>
    /// <exception cref="InvalidOperationException">Training diverged (non-finite loss or weights; the message names the epoch and batch), or the numerics self-check found no correct path.</exception>
    /// <exception cref="ArgumentException">The data do not fit the model, or the images hold NaN or infinite values.</exception>
    public static (IReadOnlyList<EpochMetrics> History, int BestEpoch) Train(
        SpatialClassifier model,
        Tensor images,
        Tensor labels,
        TrainingOptions? options = null,
        Tensor? validationImages = null,
        Tensor? validationLabels = null,
        Action<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new TrainingOptions();
        options.Validate();
        CheckData(model, images, labels, nameof(images), nameof(labels));
        bool validate = validationImages is not null || validationLabels is not null;
        if (validate)
            CheckData(model, validationImages!, validationLabels!, nameof(validationImages), nameof(validationLabels));
        using var training = new TensorBatches(images, labels);
        using var validation = validate ? new TensorBatches(validationImages!, validationLabels!) : null;
        return Train(model, training, validation, options, progress, cancellationToken);
    }

    /// <summary>
    /// <see cref="Train(SpatialClassifier, Tensor, Tensor, TrainingOptions?, Tensor?, Tensor?, Action{TrainingProgress}?, CancellationToken)"/>
    /// on batch sources (tensors in memory, or the rows of a data view read as the passes go): the same steps on the
    /// same batches, in the same seeded order. The sources' images must fit the model and their labels lie in
    /// [0, classes) (the caller checked them).
    /// </summary>
    internal static (IReadOnlyList<EpochMetrics> History, int BestEpoch) Train(
        SpatialClassifier model,
        MiniBatchSource data,
        MiniBatchSource? validationData,
        TrainingOptions options,
        Action<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        bool validate = validationData is not null;
        var device = ComputeDevices.Resolve(options.Device);
        TorchNumerics.EnsureChecked(device, options.Log);
        model.to(device);
        var dtype = model.parameters().First().dtype;
        var coverage = model.Transformer is null ? null : new WarpCoverage(model);
        // Cross-entropy of a uniform guess is ln(classes); a batch ten times worse than that has blown up (a learning
        // rate too high: Adam's bounded steps can leave the loss finite but astronomically large, ~1e10).
        double lossLimit = 10 * Math.Log(model.Options.ClassCount);
        var settings = options.LoopSettings(device, options.LearningRateSummary(model)) with
        {
            LossLimit = lossLimit,
            LossLimitMeaning = FormattableString.Invariant($"ten times that of a uniform guess ({lossLimit:F1})"),
            Progress = progress,
            CancellationToken = cancellationToken,
        };
        var history = new List<EpochMetrics>();
        var initial = Snapshot(model);
        Dictionary<string, Tensor>? best = null;
        double bestAccuracy = double.NegativeInfinity, bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, bestValidationEpoch = 0;
        bool completed = false;
        try
        {
            using var optimizer = CreateOptimizer(model, options);
            using var loop = new MiniBatchLoop(model, model.Transformer, optimizer, data.Count, settings);
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                coverage?.Reset();
                var (loss, accuracy, imagesPerSecond, elapsed) = loop.RunEpoch(epoch, data, batch =>
                {
                    var x = batch.Images!.to(dtype, device);
                    var y = batch.Labels!.to(device);
                    var output = model.Run(x, loop.Perturbation(model.Options.Transformer.Warp, x.shape[0], dtype));
                    coverage?.Add(output.Parameters);
                    return (nn.functional.cross_entropy(output.Logits, y), output.Logits.argmax(1).eq(y).sum());
                });
                coverage?.Check(epoch, options.GeometricLearningRateFor(model), options.DefaultGeometricLearningRateFor(model));
                (double Loss, double Accuracy, long Count)? validation = validate
                    ? Evaluate(model, validationData!, options.BatchSize,
                        options.PerturbValidation ? options.PerturbationInUse : null, options.Seed + 3, cancellationToken)
                    : null;
                var metrics = new EpochMetrics(epoch, loss, accuracy, validation?.Loss, validation?.Accuracy, imagesPerSecond, elapsed);
                history.Add(metrics);
                bestEpoch = epoch;
                // Better: a higher validation accuracy, or the same with a lower validation loss (a saturated validation
                // set ties for many epochs; the later, lower-loss epoch is the one trained at a lower learning rate).
                if (validation is { Accuracy: var validationAccuracy, Loss: var validationLoss }
                    && (validationAccuracy > bestAccuracy || (validationAccuracy == bestAccuracy && validationLoss < bestLoss)))
                {
                    bestAccuracy = validationAccuracy;
                    bestLoss = validationLoss;
                    bestValidationEpoch = epoch;
                    if (options.KeepBest)
                    {
                        Dispose(best);
                        best = Snapshot(model);
                    }
                }
                loop.ReportEpoch(metrics);
                if (validate && options.EarlyStoppingPatience > 0 && epoch < options.Epochs && epoch - bestValidationEpoch >= options.EarlyStoppingPatience)
                {
                    options.Log?.Invoke(FormattableString.Invariant(
                        $"Stopped early after epoch {epoch}: no better validation accuracy (or the same with a lower loss) than epoch {bestValidationEpoch}'s ({bestAccuracy:P2}, loss {bestLoss:F4}) for {options.EarlyStoppingPatience} epochs."));
                    break;
                }
            }
            if (best is not null)
            {
                model.load_state_dict(best);
                bestEpoch = bestValidationEpoch;
            }
            completed = true;
            options.Log?.Invoke($"Kept the weights of epoch {bestEpoch}.");
            return (history, bestEpoch);
        }
        finally
        {
            // A run that did not finish (divergence, cancellation, bad data) leaves the model as it was given.
            if (!completed)
                model.load_state_dict(initial);
            Dispose(best);
            Dispose(initial);
            model.eval();
        }
    }

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> in eval mode (deterministic: bilinear for Linearized).</summary>
    /// <param name="model">The network (its device is used).</param>
    /// <param name="images">(N, C, H, W).</param>
    /// <param name="labels">(N) int64.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="perturbationStrength">When above 0, each image is first warped by a random perturbation of this σ (as <see cref="TrainingOptions.PerturbationStrength"/>; seeded by <paramref name="seed"/>: the same warps every call). Default 0: none.</param>
    /// <param name="seed">Seed of those warps.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns><c>Loss</c>: the mean cross-entropy; <c>Accuracy</c>: the fraction classified right (both NaN for no images); <c>Count</c>: the number of images.</returns>
    public static (double Loss, double Accuracy, long Count) Evaluate(SpatialClassifier model, Tensor images, Tensor labels, int batchSize = 100,
        double perturbationStrength = 0, int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(model, images, labels, nameof(images), nameof(labels));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Must be ≥ 1.");
        if (!(perturbationStrength >= 0) || double.IsInfinity(perturbationStrength))
            throw new ArgumentOutOfRangeException(nameof(perturbationStrength), perturbationStrength, "Must be a finite number ≥ 0 (0 = no perturbation).");
        using var data = new TensorBatches(images, labels);
        return Evaluate(model, data, batchSize, perturbationStrength > 0 ? PerturbationOptions.Of(perturbationStrength) : null, seed, cancellationToken);
    }

    /// <summary>
    /// <see cref="Evaluate(SpatialClassifier, Tensor, Tensor, int, double, int, CancellationToken)"/> on a batch source,
    /// read in row order (examples that cannot be read are left out of the count).
    /// </summary>
    internal static (double Loss, double Accuracy, long Count) Evaluate(SpatialClassifier model, MiniBatchSource data, int batchSize,
        PerturbationOptions? perturbation, int seed, CancellationToken cancellationToken)
    {
        var first = model.parameters().First();
        var (device, dtype) = (first.device, first.dtype);
        bool wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        using var warps = new Generator((ulong)seed, device);
        double lossSum = 0;
        long correct = 0, count = 0;
        try
        {
            using var order = KeptScalars.Arange(data.Count, ScalarType.Int64);
            using var batches = data.Open(order, batchSize, cancellationToken);
            for (long start = 0; start < data.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = batches.Next();
                long n = batch.Count;
                if (n == 0)
                    continue;
                count += n;
                var x = batch.Images!.to(dtype, device);
                var y = batch.Labels!.to(device);
                var warp = perturbation is null ? null
                    : WarpPerturbation.Sample(model.Options.Transformer.Warp, n, perturbation, warps, dtype, device);
                var logits = model.Run(x, warp).Logits;
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to(ScalarType.Float64).item<double>();
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return (count == 0 ? double.NaN : lossSum / count, count == 0 ? double.NaN : (double)correct / count, count);
    }

    private static OptimizerHelper CreateOptimizer(SpatialClassifier model, TrainingOptions options)
    {
        var groups = new List<(IEnumerable<Parameter> Parameters, double LearningRate)> { (model.Classifier.parameters(), options.LearningRate) };
        if (model.Transformer is { } transformer)
            groups.Add((transformer.parameters(), options.GeometricLearningRateFor(model)));
        return TrainingOptimizers.Create(options.Optimizer, groups, options.Momentum, options.WeightDecay);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().MoveToOuterDisposeScope());
    }

    private static void Dispose(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
    }

    private static void CheckData(SpatialClassifier model, Tensor images, Tensor labels, string imagesName, string labelsName)
    {
        ArgumentNullException.ThrowIfNull(images, imagesName);
        ArgumentNullException.ThrowIfNull(labels, labelsName);
        var t = model.Options.Transformer;
        TensorChecks.Shape(images.dim() == 4 && images.shape[1] == t.Channels && images.shape[2] == t.ImageHeight && images.shape[3] == t.ImageWidth,
            images, imagesName, imagesName, $"(N, {t.Channels}, {t.ImageHeight}, {t.ImageWidth}) for this model", "Resize the images or build the model for their size.");
        if (!is_floating_point(images))
            throw new ArgumentException($"{imagesName} must be floating point in [0, 1]; got {images.dtype}.", imagesName);
        DivergenceGuard.CheckFinite(images, imagesName);
        TensorChecks.Shape(labels.dim() == 1 && labels.shape[0] == images.shape[0], labels, labelsName, labelsName, $"(N) with N = {images.shape[0]}");
        if (labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"{labelsName} must be int64 class indices; got {labels.dtype}.", labelsName);
        if (labels.numel() > 0)
        {
            using var scope = NewDisposeScope();
            long min = labels.min().item<long>(), max = labels.max().item<long>();
            if (min < 0 || max >= model.Options.ClassCount)
                throw new ArgumentException(
                    $"{labelsName} must lie in [0, {model.Options.ClassCount}) for this {model.Options.ClassCount}-class model; found [{min}, {max}].", labelsName);
        }
    }
}
