using System.IO.Compression;
using MlLinearized.TestSupport;
using ScoringService.Tests.Support;

namespace ScoringService.Tests;

/// <summary>
/// Serving the models users save (with and without the optional columns, image or pixel-vector input), swapping the
/// model when its file is replaced, and refusing to start on a file that is not a model this library trained.
/// </summary>
[TestClass]
public sealed class ModelLoadingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AModelSavedWithoutWarpAndRectifiedColumnsSaysSo()
    {
        using var service = new ServiceFactory(TrainedModels.Plain);
        using var client = service.CreateClient();
        var image = GtsrbPng.Test[3];
        var prediction = await (await client.PostRawAsync(ImageBytes.Png(image), query: "?rectified=true")).JsonAsync();
        Assert.AreEqual(TrainedModels.ScoreOffline(TrainedModels.Plain, [image.Path])[0].Label, prediction.GetProperty("label").GetString());
        var rectified = prediction.GetProperty("rectified");
        Assert.IsFalse(rectified.GetProperty("available").GetBoolean());
        StringAssert.Contains(rectified.GetProperty("reason").GetString(), "RectifiedColumnName");
        var warp = prediction.GetProperty("warp");
        Assert.IsFalse(warp.GetProperty("available").GetBoolean());
        StringAssert.Contains(warp.GetProperty("reason").GetString(), "WarpColumnName");
        var model = await client.GetJsonAsync("/model");
        Assert.AreEqual(System.Text.Json.JsonValueKind.Null, model.GetProperty("outputs").GetProperty("rectifiedWidth").ValueKind);
    }

    [TestMethod]
    public async Task AModelTrainedOnPixelVectorsGetsThePixelsMadeTheSameWay()
    {
        using var service = new ServiceFactory(TrainedModels.PixelVector);
        using var client = service.CreateClient();
        var images = GtsrbPng.Test.Where((_, i) => i % 8 == 0).ToList();
        var offline = TrainedModels.ScorePixelVectorOffline(images.Select(i => i.Path));
        for (int i = 0; i < images.Count; i++)
        {
            var prediction = await (await client.PostRawAsync(ImageBytes.Png(images[i]))).JsonAsync();
            Assert.AreEqual(offline[i].Label, prediction.GetProperty("label").GetString());
            Assert.AreEqual(offline[i].Score, prediction.GetProperty("probability").GetSingle(), PredictTests.Tolerance);
        }
        Assert.AreEqual("pixel-vector", (await client.GetJsonAsync("/model")).GetProperty("input").GetProperty("kind").GetString());
    }

    [TestMethod]
    public async Task ReplacingTheModelFileSwapsTheModelWithoutDroppingARequest()
    {
        string folder = TempFolder.Create("reload");
        string served = Path.Combine(folder, "model.zip");
        File.Copy(TrainedModels.Full, served);
        using var service = new ServiceFactory(served, new Dictionary<string, string> { ["Scoring:WatchModelFile"] = "true" });
        using var client = service.CreateClient();
        string fullSha = (await client.GetJsonAsync("/model")).GetProperty("graphSha256").GetString()!;
        string plainSha = Ml.Trainers.Export.StnOnnxGraph.Read(TrainedModels.Plain).Description.Sha256;
        Assert.AreNotEqual(fullSha, plainSha);

        // Requests in a loop while the file is replaced (atomically, as AtomicFile and deployment tools do).
        using var stop = new CancellationTokenSource();
        var image = ImageBytes.Png(GtsrbPng.Test[0]);
        int ok = 0, failed = 0;
        var failures = new List<string>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await client.PostRawAsync(image);
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                else
                {
                    Interlocked.Increment(ref failed);
                    string body = await response.Content.ReadAsStringAsync();
                    lock (failures) failures.Add(body);
                }
            }
        });
        await Task.Delay(300);
        string staging = Path.Combine(folder, "model.zip.new");
        File.Copy(TrainedModels.Plain, staging);
        File.Move(staging, served, overwrite: true);
        string? sha = null;
        for (int i = 0; i < 100 && sha != plainSha; i++)
        {
            await Task.Delay(200);
            sha = (await client.GetJsonAsync("/model")).GetProperty("graphSha256").GetString();
        }
        int okAtSwap = ok;
        await Task.Delay(300);
        await stop.CancelAsync();
        await load;
        Assert.AreEqual(plainSha, sha, "the new model is served");
        Assert.AreEqual(0, failed, string.Join("\n", failures));
        Assert.IsGreaterThan(okAtSwap, ok, "requests answered after the swap");
        var after = await (await client.PostRawAsync(image, query: "?rectified=true")).JsonAsync();
        Assert.IsFalse(after.GetProperty("rectified").GetProperty("available").GetBoolean(), "the plain model answers");

        // A broken file: the service keeps the model it has, and says so in /health.
        File.WriteAllText(served, "not a model");
        string? status = null;
        for (int i = 0; i < 100 && status != "Degraded"; i++)
        {
            await Task.Delay(200);
            status = (await client.GetJsonAsync("/health")).GetProperty("status").GetString();
        }
        Assert.AreEqual("Degraded", status);
        Assert.AreEqual(plainSha, (await client.GetJsonAsync("/model")).GetProperty("graphSha256").GetString());
        await (await client.PostRawAsync(image)).JsonAsync();
    }

    public static IEnumerable<object[]> BadModels() =>
    [
        ["a missing file", (Func<string[]>)(() => ["--model", Path.Combine(TempFolder.Create("missing"), "model.zip")]), "does not exist"],
        ["no --model", (Func<string[]>)(() => []), "--model"],
        ["a folder", (Func<string[]>)(() => ["--model", TempFolder.Create("folder")]), "is a folder"],
        ["a text file", (Func<string[]>)(() => ["--model", WriteFile("model.zip", "hello")]), "not a zip"],
        ["an ML.NET model without an STN classifier", (Func<string[]>)(() => ["--model", TrainedModels.NotStn]), "no STN classifier"],
        ["a model whose graph was damaged after training", (Func<string[]>)(() => ["--model", WithOneGraphByteFlipped(TrainedModels.Full)]), "OnnxModel': the ONNX graph's SHA-256 is "],
        ["a bad setting", (Func<string[]>)(() => ["--model", TrainedModels.Full, "--Scoring:MaxBatchImages=0"]), "MaxBatchImages"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadModels))]
    public void AFileThatIsNoServableModelStopsTheServiceWithOneLine(string what, Func<string[]> arguments, string expected)
    {
        var (exitCode, log) = ChildProcess.Run(ServiceProcess.Assembly, [.. arguments(), "--urls", "http://127.0.0.1:0"], TimeSpan.FromMinutes(1),
            workingDirectory: ServiceProcess.Folder);
        TestContext.WriteLine(log);
        Assert.AreEqual(2, exitCode, what);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, $"{what}: one line, no stack trace:\n{log}");
        StringAssert.StartsWith(lines[0], "ScoringService: ");
        StringAssert.Contains(lines[0], expected, what);
    }

    /// <summary>A copy of <paramref name="model"/> with one byte in the middle of its ONNX graph flipped and the zip rewritten
    /// with fresh CRCs (as a tool that edits the file would): only the graph's recorded SHA-256 can tell.</summary>
    private static string WithOneGraphByteFlipped(string model)
    {
        string path = Path.Combine(TempFolder.Create("damaged-model"), "model.zip");
        File.Copy(model, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.Name == "OnnxModel");
        string name = entry.FullName;
        var buffer = new MemoryStream();
        using (var stream = entry.Open())
            stream.CopyTo(buffer);
        var content = buffer.ToArray();
        content[content.Length / 2] ^= 0x01;
        entry.Delete();
        using var replaced = zip.CreateEntry(name).Open();
        replaced.Write(content);
        return path;
    }

    private static string WriteFile(string name, string content)
    {
        string path = Path.Combine(TempFolder.Create("bad-model"), name);
        File.WriteAllText(path, content);
        return path;
    }
}
