using Ml.Transforms.Sampling;

namespace TrafficSigns.Experiments.Diagnostics;

/// <summary>
/// One gradient-direction field: for each translation (tx, ty) of a grid, the gradient of the loss with respect to it.
/// A cell is correct when the gradient lies within 90° of (tx, ty), so that gradient descent moves back towards the
/// identity.
/// </summary>
internal sealed class GradientFieldResult
{
    internal GradientFieldResult(SamplingMode mode, int outputSize, double[] translationX, double[] translationY, double[] gradientX, double[] gradientY)
    {
        Mode = mode;
        OutputSize = outputSize;
        TranslationX = translationX;
        TranslationY = translationY;
        GradientX = gradientX;
        GradientY = gradientY;
    }

    /// <summary>The sampler measured.</summary>
    public SamplingMode Mode { get; }

    /// <summary>Output side in pixels (the warped image is OutputSize × OutputSize).</summary>
    public int OutputSize { get; }

    /// <summary>tx of each cell, row-major over (ty, tx).</summary>
    public IReadOnlyList<double> TranslationX { get; }

    /// <summary>ty of each cell.</summary>
    public IReadOnlyList<double> TranslationY { get; }

    /// <summary>dLoss/dtx of each cell.</summary>
    public IReadOnlyList<double> GradientX { get; }

    /// <summary>dLoss/dty of each cell.</summary>
    public IReadOnlyList<double> GradientY { get; }

    /// <summary>Number of cells.</summary>
    public int Total => TranslationX.Count;

    /// <summary>Whether cell <paramref name="index"/>'s gradient lies within 90° of its translation.</summary>
    public bool IsCorrect(int index) =>
        GradientX[index] * TranslationX[index] + GradientY[index] * TranslationY[index] > 0;

    /// <summary>Number of cells whose gradient points the right way.</summary>
    public int CorrectCount => Enumerable.Range(0, Total).Count(IsCorrect);
}
