using static TorchSharp.torch;
using Ml.Transforms.Checks;
using Ml.Transforms.Sampling.Cpu;

namespace Ml.Transforms.Sampling;

/// <summary>Shape, dtype and device checks shared by every sampler; messages name the argument and what is expected.</summary>
internal static class SamplingArguments
{
    public static void Validate(Tensor input, Tensor grid)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(grid);
        TensorChecks.Shape(input.dim() == 4, input, nameof(input), "input", "(N, C, Hin, Win)", "Add a batch dimension with unsqueeze(0) for one image.");
        TensorChecks.Shape(grid.dim() == 4 && grid.shape[3] == 2, grid, nameof(grid), "grid", "(N, Hout, Wout, 2) holding normalized (x, y)");
        if (grid.shape[0] != input.shape[0])
            throw new ArgumentException(
                $"grid has batch size {grid.shape[0]} but input has {input.shape[0]}; they must match.", nameof(grid));
        if (input.shape[2] < 1 || input.shape[3] < 1 || input.shape[1] < 1)
            throw new ArgumentException($"input must have at least one channel and one pixel; got shape [{TensorChecks.Format(input)}].", nameof(input));
        if (!is_floating_point(input))
            throw new ArgumentException(
                $"input must be a floating-point tensor (float32, float64, float16 or bfloat16); got {input.dtype}. Convert it with .to(ScalarType.Float32).",
                nameof(input));
        if (grid.dtype != input.dtype)
            throw new ArgumentException($"grid dtype {grid.dtype} differs from input dtype {input.dtype}; convert the grid with .to(input.dtype).", nameof(grid));
        if (grid.device_type != input.device_type || grid.device_index != input.device_index)
            throw new ArgumentException($"grid is on {grid.device} but input is on {input.device}; move both to one device.", nameof(grid));
    }

    /// <summary>float16 and bfloat16: the samplers compute in float32 and return the input's dtype.</summary>
    public static bool IsReducedPrecision(ScalarType dtype) => dtype is ScalarType.Float16 or ScalarType.BFloat16;

    /// <summary>
    /// Refuses grids that no padding rule can place and on which libtorch's <c>grid_sample</c> backward crashes the
    /// process (measured with libtorch 2.10 on the CPU): NaN with Border padding, NaN or ±∞ with Reflection.
    /// Border accepts ±∞ (the border pixel, as libtorch's forward gives); Zeros accepts anything (out of the image reads
    /// 0, a non-finite coordinate gives NaN, as in libtorch). The check is one pass over the grid, before any
    /// sampling; the message names the first bad coordinate.
    /// </summary>
    public static void CheckFinite(Tensor grid, PaddingMode padding)
    {
        bool allowInfinity = padding switch
        {
            PaddingMode.Zeros => true, // and NaN: returned below
            PaddingMode.Border => true,
            PaddingMode.Reflection => false,
            _ => throw UnknownEnum.Value(padding, nameof(padding)),
        };
        if (padding == PaddingMode.Zeros || grid.numel() == 0)
            return;
        long bad = GridFiniteness.FirstBad(grid, allowInfinity);
        if (bad < 0)
            return;
        using var scope = NewDisposeScope();
        double value = grid.reshape(-1)[bad].to(ScalarType.Float64).cpu().item<double>();
        long h = grid.shape[1], w = grid.shape[2];
        long item = bad / (h * w * 2), row = bad / (w * 2) % h, column = bad / 2 % w, axis = bad % 2;
        string what = double.IsNaN(value) ? "NaN" : value > 0 ? "+∞" : "−∞";
        throw new ArgumentException(
            $"grid[{item}, {row}, {column}, {axis}] ({(axis == 0 ? "x" : "y")}) is {what}; with {padding} padding a " +
            (allowInfinity ? "NaN coordinate" : "non-finite coordinate") + " has no source pixel (and libtorch's grid_sample " +
            "backward would crash on it). Find what produced it (a diverged warp predictor, a homography dividing by 0); " +
            "Border padding accepts ±∞ (the border pixel) and Zeros padding accepts any value.",
            nameof(grid));
    }
}
