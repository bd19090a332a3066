using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>The sizes and raw addresses one call of <see cref="LinearizedKernel"/> works on.</summary>
internal static unsafe partial class LinearizedKernel
{
    /// <summary>The outputs, each (N, C, Hout, Wout) contiguous in the input's dtype, or null where not wanted.</summary>
    /// <param name="Value">
    /// The forward value: bilinear(p0) + c with <see cref="LinearizedSettings.AddIntercept"/>, else bilinear(p0); without
    /// <paramref name="ValueHasCenter"/> only its c term (0 without the intercept), for a caller adding libtorch's bilinear.
    /// </param>
    /// <param name="Center">bilinear(p0).</param>
    /// <param name="SlopeX">a, per normalized unit.</param>
    /// <param name="SlopeY">b, per normalized unit.</param>
    /// <param name="Intercept">c.</param>
    /// <param name="ValueHasCenter">Whether <paramref name="Value"/> includes bilinear(p0).</param>
    public readonly record struct Outputs(Tensor? Value, Tensor? Center, Tensor? SlopeX, Tensor? SlopeY, Tensor? Intercept, bool ValueHasCenter = true);

    private static IntPtr Address<T>(Tensor? tensor) where T : unmanaged =>
        tensor is null ? IntPtr.Zero : (IntPtr)CpuTensorMemory.Pointer<T>(tensor);

    /// <summary>Sizes of one call.</summary>
    private readonly struct Layout
    {
        public Layout(Tensor input, Tensor grid)
        {
            Channels = input.shape[1];
            HeightIn = input.shape[2];
            WidthIn = input.shape[3];
            Items = grid.shape[0];
            Pixels = grid.shape[1] * grid.shape[2];
            if (HeightIn * WidthIn >= int.MaxValue)
                throw new ArgumentException($"The fused linearized kernel reads channel planes of fewer than 2^31 pixels; got {HeightIn}×{WidthIn}.", nameof(input));
        }

        /// <summary>C.</summary>
        public long Channels { get; }

        /// <summary>Hin.</summary>
        public long HeightIn { get; }

        /// <summary>Win.</summary>
        public long WidthIn { get; }
        /// <summary>N.</summary>
        public long Items { get; }

        /// <summary>Hout·Wout: output pixels per item and channel.</summary>
        public long Pixels { get; }
    }

    /// <summary>Addresses of one call's tensors (IntPtr: lambdas cannot capture pointers).</summary>
    private readonly record struct Pointers(
        IntPtr Input, long BatchStride, IntPtr Grid, IntPtr Value, IntPtr Center, IntPtr SlopeX, IntPtr SlopeY, IntPtr Intercept, bool ValueHasCenter);
}
