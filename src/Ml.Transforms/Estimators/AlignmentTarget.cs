namespace Ml.Transforms.Estimators;

/// <summary>What <c>mlContext.Transforms.AlignImages</c> aligns the images to.</summary>
public enum AlignmentTarget
{
    /// <summary>A reference image (<see cref="LearnedAlignmentOptions.ReferenceImagePath"/>).</summary>
    Reference,

    /// <summary>The running mean of the aligned training images, recomputed every epoch (congealing).</summary>
    Mean,
}
