using Ml.Trainers.Tests.Support;
using Ml.Transforms.Imaging;
using static TorchSharp.torch;

namespace Ml.Trainers.Tests.Training;

/// <summary>
/// A small real training problem: the first 5 GTSRB classes of the built-in subset's training part, every track
/// (2 frames each), split by track (25 % validation). Decoded once. Labels are the class ids 0..4.
/// </summary>
internal static class SmallGtsrb
{
    public const int Classes = 5;

    private static readonly Lazy<(Tensor TrainImages, Tensor TrainLabels, Tensor ValidationImages, Tensor ValidationLabels)> _data = new(Load);

    public static Tensor TrainImages => _data.Value.TrainImages;
    public static Tensor TrainLabels => _data.Value.TrainLabels;
    public static Tensor ValidationImages => _data.Value.ValidationImages;
    public static Tensor ValidationLabels => _data.Value.ValidationLabels;

    private static (Tensor, Tensor, Tensor, Tensor) Load()
    {
        var images = BuiltInGtsrb.Train.Where(s => s.ClassId < Classes).ToList();
        var (train, validation) = BuiltInGtsrb.SplitByTrack(images, 0.25, seed: 0);
        return (Images(train), Labels(train), Images(validation), Labels(validation));
    }

    /// <summary>(N, 3, 32, 32) float32 in [0, 1], on the CPU.</summary>
    private static Tensor Images(IReadOnlyList<BuiltInImage> images)
    {
        using var scope = NewDisposeScope();
        return cat(images.Select(i => ImageTensors.Load(i.Path)).ToList(), 0).MoveToOuterDisposeScope().DetachFromDisposeScope();
    }

    private static Tensor Labels(IReadOnlyList<BuiltInImage> images) =>
        tensor(images.Select(i => (long)i.ClassId).ToArray()).DetachFromDisposeScope();
}
