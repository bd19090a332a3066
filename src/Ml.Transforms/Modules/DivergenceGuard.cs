using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>
/// The checks every training loop of the library makes: finite input data before the first step, a finite loss at every
/// step, finite weights after every epoch. A failure is an <see cref="InvalidOperationException"/> whose message says
/// where training stopped and what usually causes it, so a NaN model is never returned or saved.
/// </summary>
internal static class DivergenceGuard
{
    /// <summary>The exception for a run that went non-finite.</summary>
    /// <param name="where">E.g. "epoch 3, batch 17 of 281".</param>
    /// <param name="what">E.g. "the training loss is NaN".</param>
    /// <param name="settings">The learning rates in use, named as the user set them.</param>
    public static InvalidOperationException Diverged(string where, string what, string settings) => new(
        $"Training diverged in {where}: {what}. Usual causes: a learning rate too high ({settings}) — lower it, e.g. " +
        "by 10× — or NaN/Inf values in the data. Training stopped; no model with non-finite weights was kept.");

    /// <summary>Throws <see cref="Diverged"/> when a parameter of <paramref name="module"/> holds NaN or ±Inf.</summary>
    public static void CheckParameters(nn.Module module, string where, string settings)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in module.named_parameters())
            if (!parameter.isfinite().all().item<bool>())
                throw Diverged(where, $"the weights '{name}' are not finite", settings);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first image (row) of <paramref name="images"/> with a NaN or infinite value.</summary>
    public static void CheckFinite(Tensor images, string name)
    {
        if (images.numel() == 0)
            return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var bad = images.isfinite().logical_not().flatten(1).any(1);
        if (!bad.any().item<bool>())
            return;
        long row = bad.nonzero()[0, 0].item<long>();
        throw new ArgumentException(
            $"{name} hold NaN or infinite values (first in image {row}). Clean the data (e.g. drop or repair those rows) before training.", name);
    }
}
