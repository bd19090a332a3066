using static TorchSharp.torch;

namespace Ml.Transforms.Sampling;

/// <summary>The sizes and raw addresses one call of <see cref="LinearizedKernel"/> works on.</summary>
internal static unsafe partial class LinearizedKernel
{
    /// <summary>The outputs, each (N, C, Hout, Wout) contiguous in the input's dtype, or null where not wanted.</summary>
    /// <param name="Value">bilinear(p0) + c, or bilinear(p0) without the intercept.</param>
    /// <param name="Center">bilinear(p0).</param>
    /// <param name="SlopeX">a, per normalized unit.</param>
    /// <param name="SlopeY">b, per normalized unit.</param>
    /// <param name="Intercept">c.</param>
    public readonly record struct Outputs(Tensor? Value, Tensor? Center, Tensor? SlopeX, Tensor? SlopeY, Tensor? Intercept);

    private static IntPtr Address<T>(Tensor? tensor) where T : unmanaged =>
        tensor is null ? IntPtr.Zero : (IntPtr)CpuTensorMemory.Pointer<T>(tensor);

    /// <summary>Sizes of one call.</summary>
    private readonly struct Layout
    {
        public Layout(Tensor input, Tensor grid, int sampleCount)
        {
            Channels = input.shape[1];
            HeightIn = input.shape[2];
            WidthIn = input.shape[3];
            HeightOut = grid.shape[1];
            WidthOut = grid.shape[2];
            Rows = grid.shape[0] * HeightOut;
            if (HeightIn * WidthIn >= int.MaxValue || WidthIn * sampleCount * 2 >= int.MaxValue)
                throw new ArgumentException($"The fused linearized kernel reads channel planes of fewer than 2^31 pixels; got {HeightIn}×{WidthIn}.", nameof(input));
        }

        public long Channels { get; }
        public long HeightIn { get; }
        public long WidthIn { get; }
        public long HeightOut { get; }
        public long WidthOut { get; }
        public long Rows { get; }
    }

    /// <summary>Addresses of one call's tensors (IntPtr: lambdas cannot capture pointers).</summary>
    private readonly record struct Pointers(
        IntPtr Input, long BatchStride, IntPtr Grid, IntPtr Value, IntPtr Center, IntPtr SlopeX, IntPtr SlopeY, IntPtr Intercept);
}
