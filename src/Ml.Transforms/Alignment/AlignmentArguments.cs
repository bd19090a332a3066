using Ml.Transforms.Geometry;
using static TorchSharp.torch;
using Ml.Transforms.Checks;

namespace Ml.Transforms.Alignment;

/// <summary>Checks of <see cref="SpatialAlignment.Align"/>'s tensors; messages name the argument and what is expected.</summary>
internal static class AlignmentArguments
{
    /// <summary>Validates the tensors and returns the batch size N they broadcast to.</summary>
    public static long Validate(Tensor image, Tensor reference, Tensor? initialWarp, WarpFamily family)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        TensorChecks.Shape(image.dim() == 4, image, nameof(image), "image", "(N, C, H, W)", "Add a batch dimension with unsqueeze(0) for one image.");
        TensorChecks.Shape(reference.dim() == 4, reference, nameof(reference), "reference", "(N, C, Hr, Wr) or (1, C, Hr, Wr)",
            "Add a batch dimension with unsqueeze(0) for one image.");
        if (!is_floating_point(image))
            throw new ArgumentException($"image must be floating point (float32 or float64); got {image.dtype}.", nameof(image));
        if (reference.dtype != image.dtype)
            throw new ArgumentException($"reference dtype {reference.dtype} differs from image dtype {image.dtype}; convert it with .to(image.dtype).", nameof(reference));
        if (reference.device_type != image.device_type || reference.device_index != image.device_index)
            throw new ArgumentException($"reference is on {reference.device} but image is on {image.device}; move both to one device.", nameof(reference));
        if (image.shape[1] < 1 || image.shape[2] < 1 || image.shape[3] < 1)
            throw new ArgumentException($"image must have at least one channel and one pixel; got shape [{TensorChecks.Format(image)}].", nameof(image));
        if (reference.shape[2] < 1 || reference.shape[3] < 1)
            throw new ArgumentException($"reference must have at least one pixel; got shape [{TensorChecks.Format(reference)}].", nameof(reference));
        if (reference.shape[1] != image.shape[1])
            throw new ArgumentException(
                $"reference has {reference.shape[1]} channel(s) but image has {image.shape[1]}; they must match (shapes [{TensorChecks.Format(reference)}] and [{TensorChecks.Format(image)}]).",
                nameof(reference));

        long n = Math.Max(image.shape[0], reference.shape[0]);
        if (n < 1)
            throw new ArgumentException($"the batch is empty (image [{TensorChecks.Format(image)}], reference [{TensorChecks.Format(reference)}]).", nameof(image));
        if (image.shape[0] != n && image.shape[0] != 1)
            throw new ArgumentException(
                $"image has batch size {image.shape[0]} but reference has {reference.shape[0]}; each must be N or 1 (shared).", nameof(image));
        if (reference.shape[0] != n && reference.shape[0] != 1)
            throw new ArgumentException(
                $"reference has batch size {reference.shape[0]} but image has {image.shape[0]}; it must be {n} or 1 (one reference for every image).",
                nameof(reference));

        if (initialWarp is not null)
        {
            int p = family.ParameterCount();
            TensorChecks.Shape(initialWarp.dim() == 2 && initialWarp.shape[1] == p && (initialWarp.shape[0] == n || initialWarp.shape[0] == 1),
                initialWarp, nameof(initialWarp), "initialWarp", $"({n}, {p}) or (1, {p}) {family} parameters");
            if (!is_floating_point(initialWarp))
                throw new ArgumentException($"initialWarp must be floating point; got {initialWarp.dtype}.", nameof(initialWarp));
            if (initialWarp.device_type != image.device_type || initialWarp.device_index != image.device_index)
                throw new ArgumentException($"initialWarp is on {initialWarp.device} but image is on {image.device}; move both to one device.", nameof(initialWarp));
            if (!AllFinite(initialWarp))
                throw new ArgumentException("initialWarp contains NaN or infinite values.", nameof(initialWarp));
        }

        if (!AllFinite(image))
            throw new ArgumentException("image contains NaN or infinite values; the squared difference would be NaN everywhere.", nameof(image));
        if (!AllFinite(reference))
            throw new ArgumentException("reference contains NaN or infinite values; the squared difference would be NaN everywhere.", nameof(reference));
        return n;
    }

    private static bool AllFinite(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.isfinite().all().item<bool>();
    }
}
