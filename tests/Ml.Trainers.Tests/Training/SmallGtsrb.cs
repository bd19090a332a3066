using Ml.Trainers.Datasets;
using Ml.Trainers.Tests.Support;
using static TorchSharp.torch;

namespace Ml.Trainers.Tests.Training;

/// <summary>
/// A small real training problem: the first 5 GTSRB classes, 4 tracks each (≈ 600 images), split by track. Decoded once.
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
        var samples = SharedGtsrb.All
            .Where(s => s.ClassId < Classes)
            .GroupBy(s => s.ClassId)
            .SelectMany(g => g.Where(s => g.Select(x => x.TrackId).Distinct().Order().Take(4).Contains(s.TrackId)))
            .ToList();
        var (train, validation) = TrackSplit.Split(samples, 0.25, seed: 0);
        return (GtsrbTensors.ToImageTensor(train, 32, 32).DetachFromDisposeScope(), GtsrbTensors.ToLabelTensor(train).DetachFromDisposeScope(),
            GtsrbTensors.ToImageTensor(validation, 32, 32).DetachFromDisposeScope(), GtsrbTensors.ToLabelTensor(validation).DetachFromDisposeScope());
    }
}
