namespace Ml.Transforms.Modules;

/// <summary>
/// Default widths (c1, c2) = (w, 2w) of <see cref="ConvolutionalClassifier"/>, chosen per output size so that the
/// classifier for 32×32 RGB input and 43 classes has the parameter count of the linearized-sampling paper's GTSRB
/// classifier at each downsampling factor (966k / 246k / 61k / 19k at 1× / 2× / 4× / 8×): w = 42 / 39 / 31 / 24 for
/// outputs of 32 / 16 / 8 / 4 pixels, giving 957,727 / 243,247 / 60,927 / 19,387 parameters with 3×3 convolutions.
/// </summary>
internal static class ClassifierWidths
{
    /// <summary>The default (c1, c2) for an output whose smaller side is <paramref name="outputSize"/> pixels.</summary>
    public static (int First, int Second) For(int outputSize)
    {
        int w = outputSize >= 32 ? 42 : outputSize >= 16 ? 39 : outputSize >= 8 ? 31 : 24;
        return (w, 2 * w);
    }
}
