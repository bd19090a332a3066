namespace Ml.Transforms.Sampling;

/// <summary>What a sampler reads outside the input, as in libtorch's <c>grid_sample</c>.</summary>
public enum PaddingMode
{
    /// <summary>Zero outside the input.</summary>
    Zeros,

    /// <summary>The nearest border pixel.</summary>
    Border,

    /// <summary>The input mirrored at its border.</summary>
    Reflection,
}
