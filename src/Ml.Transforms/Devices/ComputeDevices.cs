using static TorchSharp.torch;

namespace Ml.Transforms.Devices;

/// <summary>Turns a <see cref="ComputeDevice"/> choice into a libtorch device.</summary>
internal static class ComputeDevices
{
    /// <summary>The libtorch device for <paramref name="choice"/>.</summary>
    /// <exception cref="InvalidOperationException">Cuda was asked for but libtorch reports no CUDA device.</exception>
    public static Device Resolve(ComputeDevice choice) => choice switch
    {
        ComputeDevice.Cpu => CPU,
        ComputeDevice.Cuda => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException(
                "ComputeDevice.Cuda was asked for but libtorch sees no CUDA device. Build with a CUDA backend " +
                "(e.g. -p:TorchBackend=TorchSharp-cuda-windows or TorchSharp-cuda-linux) on a machine with an NVIDIA GPU, or use ComputeDevice.Cpu / Auto."),
        ComputeDevice.Auto => cuda.is_available() ? CUDA : CPU,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, $"Unknown {nameof(ComputeDevice)}."),
    };
}
