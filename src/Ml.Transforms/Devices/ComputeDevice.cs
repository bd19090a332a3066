namespace Ml.Transforms.Devices;

/// <summary>Where an entry point that creates tensors runs. Functions that take tensors follow their inputs instead.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when libtorch has it (a CUDA backend package and a GPU), else the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA GPU; an error when none is available.</summary>
    Cuda,
}
