using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>What a <see cref="SpatialClassifier"/> produced for a batch.</summary>
/// <param name="Logits">(N, classes).</param>
/// <param name="Rectified">(N, C, Hout, Wout): what the classifier saw.</param>
/// <param name="Parameters">(N, P): final warp parameters (the initial warp for the baseline).</param>
public sealed record SpatialClassifierOutput(Tensor Logits, Tensor Rectified, Tensor Parameters);
