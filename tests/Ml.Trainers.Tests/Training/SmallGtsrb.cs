using Ml.Trainers.Datasets;
using Ml.Trainers.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Trainers.Tests.Training;

/// <summary>
/// A small real training problem: the first 5 GTSRB classes of the built-in subset, every track (269 tracks, 2 frames
/// each: 538 images), split by track (25 % validation). Decoded once.
/// Labels are re-numbered 0..4.
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
        var samples = BuiltInGtsrb.All.Where(s => s.ClassId < Classes).ToList();
        var (train, validation) = TrackSplit.Split(samples, 0.25, seed: 0);
        return (GtsrbTensors.ToImageTensor(train, 32, 32).DetachFromDisposeScope(), GtsrbTensors.ToLabelTensor(train).DetachFromDisposeScope(),
            GtsrbTensors.ToImageTensor(validation, 32, 32).DetachFromDisposeScope(), GtsrbTensors.ToLabelTensor(validation).DetachFromDisposeScope());
    }
}
