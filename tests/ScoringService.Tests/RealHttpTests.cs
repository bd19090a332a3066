using ScoringService.Tests.Support;

namespace ScoringService.Tests;

/// <summary>The built service as users start it: its own output folder (no libtorch), a real process, a loopback socket.</summary>
[TestClass]
public sealed class RealHttpTests
{
    [TestMethod]
    public async Task ServesOverALoopbackSocketTheSameLabelsAsOfflineScoringUnderConcurrency()
    {
        var service = SharedServiceProcess.Instance;
        using var client = new HttpClient { BaseAddress = service.Address };
        Assert.AreEqual("Healthy", (await client.GetJsonAsync("/health")).GetProperty("status").GetString());

        var images = GtsrbPng.Test.ToList();
        var offline = TrainedModels.ScoreOffline(TrainedModels.Full, images.Select(i => i.Path));
        using var gate = new SemaphoreSlim(8);
        var answers = await Task.WhenAll(images.Select(async image =>
        {
            await gate.WaitAsync();
            try
            {
                return (await (await client.PostRawAsync(ImageBytes.Png(image))).JsonAsync()).GetProperty("label").GetString();
            }
            finally
            {
                gate.Release();
            }
        }));
        CollectionAssert.AreEqual(offline.Select(o => o.Label).ToList(), answers.ToList(), "every label as offline scoring gives it");
        // Its appsettings.json was read although it was started from another folder: no log line per request.
        Assert.DoesNotContain("Request starting", service.Output);
    }

    [TestMethod]
    public void NeitherTheOutputFolderNorTheProcessHoldsLibtorch()
    {
        var torchFiles = Directory.GetFiles(ServiceProcess.Folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Where(f => f!.Contains("torch", StringComparison.OrdinalIgnoreCase)).ToList();
        // Only the managed TorchSharp assembly Ml.Trainers references (once more in a <rid>/ folder after `dotnet publish -r`).
        Assert.IsTrue(torchFiles.Count > 0 && torchFiles.All(f => f == "TorchSharp.dll"), "only TorchSharp.dll, no native libtorch: " + string.Join(", ", torchFiles));
        var service = SharedServiceProcess.Instance;
        var libraries = service.LoadedLibraries();
        Assert.IsTrue(libraries.Any(l => l.Contains("onnxruntime", StringComparison.Ordinal)), "ONNX Runtime scores");
        Assert.IsFalse(libraries.Any(l => l.Contains("torch", StringComparison.OrdinalIgnoreCase)), string.Join("\n", libraries));
    }
}
