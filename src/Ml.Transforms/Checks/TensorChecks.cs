using static TorchSharp.torch;

namespace Ml.Transforms.Checks;

/// <summary>The library's one shape check: a refusal that names the argument, the shape expected and the shape given.</summary>
internal static class TensorChecks
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> "<paramref name="what"/> must be <paramref name="expected"/>; got shape
    /// [..].<paramref name="fix"/>" for <paramref name="parameter"/> unless <paramref name="ok"/>.
    /// </summary>
    /// <param name="ok">Whether the shape is acceptable.</param>
    /// <param name="tensor">The tensor checked (its shape is quoted).</param>
    /// <param name="parameter">The parameter name reported.</param>
    /// <param name="what">How the message names the tensor (often the parameter name).</param>
    /// <param name="expected">The shape expected, e.g. "(N, C, H, W)".</param>
    /// <param name="fix">An optional sentence on how to fix it, appended after a space.</param>
    public static void Shape(bool ok, Tensor tensor, string parameter, string what, string expected, string? fix = null)
    {
        if (!ok)
            throw new ArgumentException($"{what} must be {expected}; got shape [{Format(tensor)}].{(fix is null ? "" : " " + fix)}", parameter);
    }

    /// <summary>The dimensions of a tensor as "a, b, c".</summary>
    public static string Format(Tensor tensor) => string.Join(", ", tensor.shape);
}
