using Ml.Transforms.Alignment;
using Ml.Transforms.Sampling;
using static TorchSharp.torch;

// One case per process, named by the first argument. Prints "result: ..." or "refused: <message>" and exits 0; a crash
// shows as the process dying (SIGSEGV / abort) instead, which is what the calling test looks for.
var name = args.Length > 0 ? args[0] : "";
try
{
    Console.WriteLine(name switch
    {
        "float16-linearized" => Sample(ScalarType.Float16, SamplingMode.Linearized, PaddingMode.Zeros, null),
        "bfloat16-linearized" => Sample(ScalarType.BFloat16, SamplingMode.Linearized, PaddingMode.Zeros, null),
        "float16-multiscale" => Sample(ScalarType.Float16, SamplingMode.MultiScale, PaddingMode.Zeros, null),
        "nan-border-bilinear" => Sample(ScalarType.Float32, SamplingMode.Bilinear, PaddingMode.Border, double.NaN),
        "inf-reflection-bilinear" => Sample(ScalarType.Float32, SamplingMode.Bilinear, PaddingMode.Reflection, double.PositiveInfinity),
        "nan-border-linearized" => Sample(ScalarType.Float32, SamplingMode.Linearized, PaddingMode.Border, double.NaN),
        "nan-reflection-multiscale" => Sample(ScalarType.Float32, SamplingMode.MultiScale, PaddingMode.Reflection, double.NaN),
        "float16-align" => Align(),
        _ => throw new ArgumentException($"unknown case '{name}'"),
    });
    return 0;
}
catch (ArgumentException e)
{
    Console.WriteLine("refused: " + e.Message);
    return 0;
}

// Forward and backward with the input and the grid requiring gradients (the path that crashed); `bad` (when given)
// goes into one grid coordinate.
static string Sample(ScalarType dtype, SamplingMode mode, PaddingMode padding, double? bad)
{
    manual_seed(0);
    var input = rand(2, 3, 12, 10).to(dtype).requires_grad_(true);
    var values = rand(2, 5, 6, 2) * 2 - 1;
    if (bad is double value)
        values[1, 2, 3, 0] = tensor(value);
    var grid = values.to(dtype).requires_grad_(true);
    var output = GridSampler.GridSample(input, grid, mode, padding, options: new SamplerOptions { Generator = new Generator(1) });
    output.to(ScalarType.Float32).square().sum().backward();
    bool finite = output.to(ScalarType.Float32).isfinite().all().item<bool>() && grid.grad!.to(ScalarType.Float32).isfinite().all().item<bool>();
    return $"result: {output.dtype} {string.Join("x", output.shape)}, grid gradient {grid.grad!.dtype}, finite {finite}";
}

static string Align()
{
    manual_seed(0);
    var reference = rand(1, 1, 16, 16);
    var image = reference.clone().to(ScalarType.Float16);
    var result = SpatialAlignment.Align(image, reference.to(ScalarType.Float16), new SpatialAlignmentOptions { Steps = 5 });
    return $"result: warp {result.Parameters.dtype} {string.Join("x", result.Parameters.shape)}, final loss {result.FinalLosses[0]:G3}";
}
