using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Support;

/// <summary>Central finite differences of a scalar function of one float64 tensor.</summary>
internal static class FiniteDifferences
{
    /// <summary>d f / d x at every element of x (float64, CPU), by (f(x + h) - f(x - h)) / 2h.</summary>
    public static double[] Gradient(Func<Tensor, Tensor> f, Tensor x, double h = 1e-6)
    {
        using var noGrad = no_grad();
        var point = x.detach().clone().contiguous();
        var flat = point.view(-1);
        var result = new double[flat.shape[0]];
        for (long i = 0; i < flat.shape[0]; i++)
        {
            double original = flat[i].item<double>();
            flat[i] = original + h;
            double plus = f(point).item<double>();
            flat[i] = original - h;
            double minus = f(point).item<double>();
            flat[i] = original;
            result[i] = (plus - minus) / (2 * h);
        }
        return result;
    }

    /// <summary>The autograd gradient of f at x.</summary>
    public static double[] Autograd(Func<Tensor, Tensor> f, Tensor x)
    {
        var leaf = x.detach().clone().requires_grad_(true);
        f(leaf).backward();
        return leaf.grad!.contiguous().view(-1).data<double>().ToArray();
    }
}
