using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>libtorch's own <c>grid_sample</c> (nearest and bilinear), with our padding enum mapped onto TorchSharp's.</summary>
internal static class LibTorchSampler
{
    public static Tensor Bilinear(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners) =>
        nn.functional.grid_sample(input, grid, GridSampleMode.Bilinear, ToTorch(padding), alignCorners);

    public static Tensor Nearest(Tensor input, Tensor grid, PaddingMode padding, bool alignCorners) =>
        nn.functional.grid_sample(input, grid, GridSampleMode.Nearest, ToTorch(padding), alignCorners);

    public static GridSamplePaddingMode ToTorch(PaddingMode padding) => padding switch
    {
        PaddingMode.Zeros => GridSamplePaddingMode.Zeros,
        PaddingMode.Border => GridSamplePaddingMode.Border,
        PaddingMode.Reflection => GridSamplePaddingMode.Reflection,
        _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Unknown {nameof(PaddingMode)}."),
    };
}
