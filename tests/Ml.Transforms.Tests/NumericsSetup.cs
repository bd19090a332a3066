using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests;

/// <summary>
/// Runs the libtorch numerics self-check once for the test assembly, as every training entry point does, so tests
/// that train modules directly get correct convolution gradients on CPUs where libtorch's oneDNN backward is wrong.
/// </summary>
[TestClass]
public static class NumericsSetup
{
    [AssemblyInitialize]
    public static void CheckNumerics(TestContext context) =>
        TorchNumerics.EnsureChecked(CPU, message => context.WriteLine(message));
}
