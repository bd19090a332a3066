using static TorchSharp.torch;

namespace Ml.Transforms.Modules;

/// <summary>What a spatial transformer produced for a batch.</summary>
/// <param name="Rectified">(N, C, Hout, Wout): the input sampled with the final warp at the output size.</param>
/// <param name="Parameters">(N, P): the final warp parameters (initial warp composed with the predicted ones).</param>
public sealed record WarpResult(Tensor Rectified, Tensor Parameters);
