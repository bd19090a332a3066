using Ml.Transforms.Modules;
using TorchSharp;

namespace Ml.Trainers.MlNet;

/// <summary>
/// Loads <see cref="StnImageClassificationOptions.InitialWeightsPath"/> into a freshly built network, and when that
/// fails says which file, what is wrong with it (empty, a zip such as an ML.NET model, not TorchSharp weights or
/// damaged, or the weights of another network) and what the network expects — instead of TorchSharp's bare
/// "Mismatched state_dict sizes".
/// </summary>
internal static class InitialWeights
{
    public static void Load(SpatialClassifier network, string path)
    {
        try
        {
            network.load(path);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or FormatException or OverflowException
                                      or IndexOutOfRangeException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"InitialWeightsPath '{path}' could not be loaded: {Problem(path, network, e)}. {Expected(network)} Use a file written by " +
                "StnImageClassificationTrainer.SaveWeights after training with the same Architecture, Warp, Downsampling, image size, " +
                "Channels and label classes.", e);
        }
    }

    private static string Problem(string path, SpatialClassifier network, Exception e)
    {
        var head = new byte[4];
        long length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.Length;
            stream.ReadExactly(head, 0, (int)Math.Min(head.Length, length));
        }
        if (length == 0)
            return "the file is empty";
        if (head is [(byte)'P', (byte)'K', 3, 4])
            return "it is a zip archive (an ML.NET model saved with mlContext.Model.Save?), not TorchSharp weights";
        var (outcome, entries) = TorchSharpWeightsFile.Read(path);
        if (outcome == TorchSharpWeightsFile.Outcome.NotWeights)
            return $"it is not TorchSharp weights, or is damaged ({e.Message})";
        var expected = network.state_dict().ToDictionary(kv => kv.Key, kv => (kv.Value.dtype, kv.Value.shape));
        var differences = TorchSharpWeightsFile.Differences(entries, expected);
        if (outcome == TorchSharpWeightsFile.Outcome.EndsEarly && differences.All(d => d.StartsWith("the file has no ", StringComparison.Ordinal)))
            return "the file ends early: it is damaged or was cut short";
        return differences.Count == 0
            ? $"TorchSharp could not read it ({e.Message})"
            : $"it holds the weights of another network: {string.Join("; ", differences.Take(4))}{(differences.Count > 4 ? $"; and {differences.Count - 4} more differences" : "")}";
    }

    private static string Expected(SpatialClassifier network)
    {
        var o = network.Options;
        var t = o.Transformer;
        var tensors = network.state_dict();
        var examples = string.Join(", ", tensors.Take(3).Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]"));
        return $"This network ({o.Architecture}, {t.Warp}, {t.Downsampling}× downsampling, {t.ImageWidth}×{t.ImageHeight}×{t.Channels} images, " +
            $"{o.ClassCount} classes) has {tensors.Count} weight tensors ({examples}, …).";
    }
}
