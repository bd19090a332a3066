namespace Ml.Transforms.Devices;

/// <summary>Which libtorch convolution implementation a process uses after <see cref="TorchNumerics"/> has checked it.</summary>
public enum ConvolutionPath
{
    /// <summary>libtorch's own choice: oneDNN (MKL-DNN) on CPUs that have it, cuDNN on CUDA.</summary>
    Default,

    /// <summary>
    /// oneDNN turned off for the whole process (libtorch's <c>at::globalContext().setUserEnabledMkldnn(false)</c>, what
    /// PyTorch's <c>torch.backends.mkldnn.enabled = False</c> does): convolutions run libtorch's native CPU kernels.
    /// </summary>
    OneDnnDisabled,
}
