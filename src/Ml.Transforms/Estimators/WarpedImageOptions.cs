using Ml.Transforms.Modules;

namespace Ml.Transforms.Estimators;

/// <summary>
/// What the settings of <c>WarpImages</c> (<see cref="ImageWarpOptions"/>) and <c>AlignImages</c>
/// (<see cref="LearnedAlignmentOptions"/>) share: the spatial transformer's settings (<see cref="Transformer"/>, the same
/// <see cref="SpatialTransformerOptions"/> the TorchSharp modules and the classifier's trainer take) and the optional
/// warp column. Each transform documents the defaults it gives <see cref="Transformer"/>.
/// </summary>
public abstract class WarpedImageOptions
{
    private protected WarpedImageOptions(SpatialTransformerOptions transformer) => Transformer = transformer;

    /// <summary>
    /// How the input is read, warped and sampled, and what comes out: the warp family, the sampler and its settings,
    /// padding, align_corners, the input size (images are resized to <c>ImageWidth</c>×<c>ImageHeight</c> and read as
    /// RGB; a pixel-vector column must hold <c>Channels</c>×height×width values), the output size
    /// (<c>OutputWidth</c>/<c>OutputHeight</c>, or the input size / <c>Downsampling</c>) and the canonical frame
    /// (<c>FrameScale</c>). The defaults are the transform's: see <see cref="ImageWarpOptions"/> and
    /// <see cref="LearnedAlignmentOptions"/>. Set parts in place, <c>Transformer = { Warp = WarpFamily.Affine, ImageWidth = 32 }</c>,
    /// to keep the transform's other defaults (a <c>new SpatialTransformerOptions { ... }</c> brings that class's own: 32×32,
    /// Linearized).
    /// </summary>
    public SpatialTransformerOptions Transformer { get; set; }

    /// <summary>Also output each row's warp parameters in this float-vector column (P values); null (default) = no such column.</summary>
    public string? WarpColumnName { get; set; }

    /// <summary>Throws, naming the setting, when <see cref="Transformer"/> cannot work.</summary>
    private protected void ValidateTransformer()
    {
        if (Transformer is null)
            throw new ArgumentNullException(nameof(Transformer), "Transformer must hold the spatial transformer's settings (leave it unset for the defaults).");
        Transformer.Validate();
    }
}
