using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>Raw access to the memory of contiguous CPU tensors, for the fused CPU kernels.</summary>
internal static unsafe class CpuTensorMemory
{
    /// <summary>Address of the first element of a contiguous CPU tensor (valid while the tensor lives).</summary>
    public static T* Pointer<T>(Tensor tensor) where T : unmanaged
    {
        if (tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous())
            throw new InvalidOperationException("Internal error: the CPU kernels need contiguous CPU tensors.");
        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
    }
}
