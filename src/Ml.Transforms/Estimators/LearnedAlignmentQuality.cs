namespace Ml.Transforms.Estimators;

/// <summary>
/// How well a learned alignment fits its training images, measured without perturbation in eval mode (the warp
/// <c>Transform</c> applies): before training (every warp the identity) and after.
/// </summary>
/// <param name="InitialLoss">
/// Photometric loss of the training images at the identity warp: the mean squared difference to the reference (or to
/// the mean of the images) over the output pixels.
/// </param>
/// <param name="FinalLoss">
/// The same after training, over the visible output pixels only (those the warp brings in from inside the image), as
/// training measures it; with <see cref="AlignmentTarget.Mean"/> against the mean of the aligned images.
/// </param>
/// <param name="VisibleFraction">
/// Mean over the training images of the fraction of output pixels that show the image rather than padding (1 at the
/// identity warp). The masked loss ignores the rest, so a warp that moves the image out of view scores a loss of 0.
/// </param>
public sealed record LearnedAlignmentQuality(double InitialLoss, double FinalLoss, double VisibleFraction);
