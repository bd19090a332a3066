using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// Raw access to the memory of CPU tensors, for the fused CPU kernels. Every access checks that the tensor's dtype is
/// the element type the kernel reads (float32 ↔ float, float64 ↔ double), so memory is never read as the wrong type.
/// </summary>
internal static unsafe class CpuTensorMemory
{
    /// <summary>Address of the first element of a contiguous CPU tensor of element type T (valid while the tensor lives).</summary>
    public static T* Pointer<T>(Tensor tensor) where T : unmanaged
    {
        CheckElementType<T>(tensor);
        if (tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous())
            throw new InvalidOperationException("Internal error: the CPU kernels need contiguous CPU tensors.");
        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
    }

    /// <summary>
    /// Address of item 0 of a CPU tensor whose items (all dimensions but the first) are contiguous, and the distance
    /// between items in elements (0 for a batch made with <c>expand</c>). Call <see cref="HasContiguousItems"/> first.
    /// </summary>
    public static T* ItemPointer<T>(Tensor tensor, out long batchStride) where T : unmanaged
    {
        CheckElementType<T>(tensor);
        if (!HasContiguousItems(tensor))
            throw new InvalidOperationException("Internal error: the CPU kernels need CPU tensors with contiguous items.");
        batchStride = tensor.stride(0);
        using var first = tensor[0];
        return Pointer<T>(first);
    }

    /// <summary>True for a non-empty CPU tensor whose items are contiguous and whose batch stride is not negative.</summary>
    public static bool HasContiguousItems(Tensor tensor)
    {
        if (tensor.device_type != TorchSharp.DeviceType.CPU || tensor.shape[0] == 0)
            return false;
        if (tensor.is_contiguous())
            return true;
        if (tensor.stride(0) < 0)
            return false;
        using var first = tensor[0];
        return first.is_contiguous();
    }

    /// <summary>Throws unless the tensor's dtype is the one of element type T.</summary>
    public static void CheckElementType<T>(Tensor tensor) where T : unmanaged
    {
        var expected = typeof(T) == typeof(float) ? ScalarType.Float32
            : typeof(T) == typeof(double) ? ScalarType.Float64
            : typeof(T) == typeof(long) ? ScalarType.Int64
            : throw new NotSupportedException($"Internal error: no tensor dtype for {typeof(T).Name}.");
        if (tensor.dtype != expected)
            throw new ArgumentException(
                $"Internal error: a CPU kernel reading {typeof(T).Name} was given a {tensor.dtype} tensor; the samplers convert float16/bfloat16 to float32 first.");
    }
}
