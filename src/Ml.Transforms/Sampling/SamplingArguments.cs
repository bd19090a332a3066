using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>Shape, dtype and device checks shared by every sampler; messages name the argument and what is expected.</summary>
internal static class SamplingArguments
{
    public static void Validate(Tensor input, Tensor grid)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(grid);
        if (input.dim() != 4)
            throw new ArgumentException(
                $"input must be (N, C, Hin, Win); got shape [{string.Join(", ", input.shape)}]. Add a batch dimension with unsqueeze(0) for one image.",
                nameof(input));
        if (grid.dim() != 4 || grid.shape[3] != 2)
            throw new ArgumentException(
                $"grid must be (N, Hout, Wout, 2) holding normalized (x, y); got shape [{string.Join(", ", grid.shape)}].",
                nameof(grid));
        if (grid.shape[0] != input.shape[0])
            throw new ArgumentException(
                $"grid has batch size {grid.shape[0]} but input has {input.shape[0]}; they must match.", nameof(grid));
        if (input.shape[2] < 1 || input.shape[3] < 1 || input.shape[1] < 1)
            throw new ArgumentException($"input must have at least one channel and one pixel; got shape [{string.Join(", ", input.shape)}].", nameof(input));
        if (!is_floating_point(input))
            throw new ArgumentException($"input must be a floating-point tensor (float32 or float64); got {input.dtype}. Convert it with .to(ScalarType.Float32).", nameof(input));
        if (grid.dtype != input.dtype)
            throw new ArgumentException($"grid dtype {grid.dtype} differs from input dtype {input.dtype}; convert the grid with .to(input.dtype).", nameof(grid));
        if (grid.device_type != input.device_type || grid.device_index != input.device_index)
            throw new ArgumentException($"grid is on {grid.device} but input is on {input.device}; move both to one device.", nameof(grid));
    }
}
