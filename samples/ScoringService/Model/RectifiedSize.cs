namespace ScoringService.Model;

/// <summary>The size of the image the classifier sees after the spatial transformer.</summary>
public sealed record RectifiedSize(int Width, int Height)
{
    /// <summary>
    /// The width × height of a rectified output of <paramref name="values"/> RGB values (3 × height × width) for a network
    /// input of <paramref name="inputWidth"/> × <paramref name="inputHeight"/>: the factor pair whose aspect ratio is
    /// closest to the input's (the output is the input divided by the downsampling factor).
    /// </summary>
    public static RectifiedSize? Of(int values, int inputWidth, int inputHeight)
    {
        if (values <= 0 || values % 3 != 0)
            return null;
        int pixels = values / 3;
        double aspect = (double)inputWidth / inputHeight;
        RectifiedSize? best = null;
        double bestError = double.MaxValue;
        for (int height = 1; height <= pixels; height++)
        {
            if (pixels % height != 0)
                continue;
            int width = pixels / height;
            double error = Math.Abs(Math.Log((double)width / height / aspect));
            if (error < bestError)
                (best, bestError) = (new RectifiedSize(width, height), error);
        }
        return best;
    }
}
