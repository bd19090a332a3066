using Ml.Transforms.Devices;
using MlLinearized.TestSupport;
using Ml.Transforms.Geometry;
using Ml.Transforms.Imaging;
using Ml.Transforms.Sampling;
using Ml.Transforms.Tests.Support;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

/// <summary>
/// Alignment data from a real photograph: the reference is the central half of the photo at Size×Size; each row is the
/// photo seen through that crop moved by a random homography Q (IC-STN perturbation of strength σ, crop frame).
/// The warp that aligns a row onto the reference is Q⁻¹ (in the row's own normalized frame).
/// </summary>
internal sealed class PerturbedCrops : IDisposable
{
    public const int Size = 32;

    public PerturbedCrops(string photo, int count, double strength, int seed, WarpFamily family = WarpFamily.Homography)
    {
        using var scope = NewDisposeScope();
        var image = ImageTensors.Load(TestData.Photo(photo));
        // Shrink first (antialiased) so that sampling the crop at Size×Size does not alias.
        var small = nn.functional.interpolate(image, [3 * Size, 3 * Size * image.shape[3] / image.shape[2]], mode: InterpolationMode.Bilinear, antialias: true);
        var crop = WarpMatrices.ToMatrix(tensor(new float[] { -0.5f, 0, 0, 0 }).view(1, 4), WarpFamily.Similarity); // scale 0.5
        Reference = Sample(small, WarpMatrices.FromMatrix(crop, WarpFamily.Homography)).MoveToOuterDisposeScope();
        using var g = new Generator((ulong)seed);
        Family = family;
        var q = WarpPerturbation.Sample(family, count, PerturbationOptions.Of(strength), g);
        var views = WarpMatrices.FromMatrix(crop.matmul(WarpMatrices.ToMatrix(q, family)), WarpFamily.Homography);
        Rows = Sample(small.expand(count, -1, -1, -1), views).MoveToOuterDisposeScope();
        Truth = WarpComposition.Inverse(q, family).MoveToOuterDisposeScope();
    }

    /// <summary>Family of the perturbations and of <see cref="Truth"/>.</summary>
    public WarpFamily Family { get; }

    /// <summary>(1, 3, Size, Size).</summary>
    public Tensor Reference { get; }

    /// <summary>(N, 3, Size, Size).</summary>
    public Tensor Rows { get; }

    /// <summary>(N, P): the warps that align each row onto the reference.</summary>
    public Tensor Truth { get; }

    /// <summary>Mean distance, in output pixels, between the crop corners mapped by <paramref name="estimate"/> and by the truth.</summary>
    public double CornerError(Tensor estimate)
    {
        using var scope = NewDisposeScope();
        var corners = WarpFitting.CanonicalCorners().expand(Truth.shape[0], 4, 2);
        var a = WarpComposition.TransformPoints(estimate.to(ScalarType.Float32), corners, Family);
        var b = WarpComposition.TransformPoints(Truth, corners, Family);
        return (a - b).Times(Size / 2.0).square().sum(2).sqrt().mean().item<float>();
    }

    /// <summary>Writes the reference as a PNG file.</summary>
    public void SaveReference(string path)
    {
        var rgb = Reference[0].permute(1, 2, 0).Times(255).round().Clamped(0, 255).to(ScalarType.Byte).contiguous().data<byte>().ToArray();
        var rgba = new byte[Size * Size * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i]; rgba[j + 1] = rgb[i + 1]; rgba[j + 2] = rgb[i + 2]; rgba[j + 3] = 255;
        }
        using var image = MLImage.CreateFromPixels(Size, Size, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }

    public void Dispose()
    {
        Reference.Dispose();
        Rows.Dispose();
        Truth.Dispose();
    }

    private static Tensor Sample(Tensor image, Tensor homographies) =>
        GridSampler.GridSample(image, WarpGrid.ToGrid(homographies, WarpFamily.Homography, Size, Size));
}
