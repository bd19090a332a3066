using Ml.Transforms.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Ml.Trainers.MlNet;

/// <summary>Reports training progress through <c>mlContext.Log</c> (ML.NET's public channel API) and the user's callback.</summary>
internal sealed class TrainingLog : IDisposable
{
    private readonly IChannel channel;
    private readonly Action<TrainingProgress>? callback;

    public TrainingLog(MLContext mlContext, Action<TrainingProgress>? callback)
    {
        channel = ((IHostEnvironment)mlContext).Register(nameof(StnImageClassificationTrainer)).Start("Training");
        this.callback = callback;
    }

    public void Info(string message) => channel.Info(MessageSensitivity.None, message);

    public void Report(TrainingProgress progress)
    {
        if (progress.CompletedEpoch is { } m)
            Info(FormattableString.Invariant(
                $"Epoch {m.Epoch}/{progress.Epochs}: loss {m.Loss:F4}, training accuracy {m.TrainingAccuracy:F4}") +
                (m.ValidationAccuracy is { } v ? FormattableString.Invariant($", validation accuracy {v:F4}, validation loss {m.ValidationLoss:F4}") : "") +
                FormattableString.Invariant($", {m.ImagesPerSecond:F0} images/s, {m.Elapsed.TotalSeconds:F1} s"));
        callback?.Invoke(progress);
    }

    public void Dispose() => channel.Dispose();
}
