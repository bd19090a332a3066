using System.Text.Json;
using ScoringService.Tests.Support;
using SkiaSharp;

namespace ScoringService.Tests;

/// <summary>POST /predict and /predict/batch over HTTP (in-process server), on a model trained by the tests.</summary>
[TestClass]
public sealed class PredictTests
{
    /// <summary>Float rounding between ONNX Runtime thread settings (measured: up to 2 ulp, 6e-8 here).</summary>
    internal const float Tolerance = 1e-6f;

    private static HttpClient Client => SharedService.Client;

    [TestMethod]
    public async Task ARawPngGetsTheLabelAndProbabilitiesTheOfflineScoringGives()
    {
        var images = GtsrbPng.Test.Where((_, i) => i % 10 == 0).ToList();
        var offline = TrainedModels.ScoreOffline(TrainedModels.Full, images.Select(i => i.Path));
        for (int i = 0; i < images.Count; i++)
        {
            var prediction = await (await Client.PostRawAsync(ImageBytes.Png(images[i]))).JsonAsync();
            Assert.AreEqual(offline[i].Label, prediction.GetProperty("label").GetString(), images[i].Path);
            // Same pixels, same ML.NET chain, same graph; the service runs ONNX Runtime with one thread per call, which
            // sums in another order than its default thread pool: the same probabilities to within float rounding.
            Assert.AreEqual(offline[i].Score.Max(), prediction.GetProperty("probability").GetSingle(), Tolerance, images[i].Path);
            var top = prediction.GetProperty("top").EnumerateArray().ToList();
            Assert.HasCount(Math.Min(5, GtsrbPng.Classes.Count), top);
            Assert.AreEqual(offline[i].Label, top[0].GetProperty("label").GetString());
            var expected = offline[i].Score.OrderDescending().ToList();
            for (int k = 0; k < top.Count; k++)
                Assert.AreEqual(expected[k], top[k].GetProperty("probability").GetSingle(), Tolerance);
        }
    }

    [TestMethod]
    public async Task WithOnnxRuntimesDefaultThreadsTheScoresAreBitForBitThoseOfOfflineScoring()
    {
        // The decoder gives ML.NET's pixels and the chain is the model's own: only ONNX Runtime's settings differ.
        using var service = new ServiceFactory(TrainedModels.Full, new Dictionary<string, string> { ["Scoring:OnnxIntraOpThreads"] = "0" });
        using var client = service.CreateClient();
        var images = GtsrbPng.Test.Where((_, i) => i % 10 == 3).ToList();
        var offline = TrainedModels.ScoreOffline(TrainedModels.Full, images.Select(i => i.Path));
        for (int i = 0; i < images.Count; i++)
        {
            var prediction = await (await client.PostRawAsync(ImageBytes.Png(images[i]))).JsonAsync();
            Assert.AreEqual(offline[i].Label, prediction.GetProperty("label").GetString());
            CollectionAssert.AreEqual(offline[i].Score.OrderDescending().Take(4).ToList(),
                prediction.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("probability").GetSingle()).ToList(), images[i].Path);
        }
    }

    [TestMethod]
    public void TheModelTellsTheClassesApart()
    {
        var offline = TrainedModels.ScoreOffline(TrainedModels.Full, GtsrbPng.Test.Select(i => i.Path));
        double accuracy = offline.Zip(GtsrbPng.Test).Count(p => p.First.Label == p.Second.Label) / (double)GtsrbPng.Test.Count;
        Assert.IsGreaterThan(0.6, accuracy, $"test accuracy {accuracy:P1} of the model the tests serve (4 classes: chance is 25 %)");
    }

    [TestMethod]
    public async Task AcceptsPngJpegBmpGifAndWebpAsRawBodyAndAsFormField()
    {
        var image = GtsrbPng.Test[5];
        var uploads = new (string Format, byte[] Bytes, string ContentType)[]
        {
            ("png", ImageBytes.Png(image), "image/png"), ("jpeg", ImageBytes.Jpeg(image), "image/jpeg"), ("bmp", ImageBytes.Bmp(image), "image/bmp"),
            ("gif", ImageBytes.Gif(), "image/gif"), ("webp", ImageBytes.Webp(image), "image/webp"), ("png", ImageBytes.Png(image), "application/octet-stream"),
        };
        foreach (var (format, bytes, contentType) in uploads)
        {
            var raw = await (await Client.PostRawAsync(bytes, contentType)).JsonAsync();
            var form = await (await Client.PostFormAsync(bytes, "upload." + format, contentType: contentType)).JsonAsync();
            Assert.AreEqual(format, raw.GetProperty("image").GetProperty("format").GetString());
            Assert.AreEqual(raw.GetProperty("label").GetString(), form.GetProperty("label").GetString(), format);
            Assert.AreEqual(raw.GetProperty("probability").GetSingle(), form.GetProperty("probability").GetSingle(), format);
        }
        var png = await (await Client.PostRawAsync(ImageBytes.Png(image))).JsonAsync();
        var bmp = await (await Client.PostRawAsync(ImageBytes.Bmp(image), "image/bmp")).JsonAsync();
        Assert.AreEqual(png.GetProperty("probability").GetSingle(), bmp.GetProperty("probability").GetSingle(), "lossless formats give the same pixels");
    }

    [TestMethod]
    public async Task GivesTheWarpAndOnRequestWhatTheClassifierSawAsPng()
    {
        var plain = await (await Client.PostRawAsync(ImageBytes.Png(GtsrbPng.Test[0]))).JsonAsync();
        Assert.IsFalse(plain.TryGetProperty("rectified", out _), "rectified only on request");
        var warp = plain.GetProperty("warp");
        Assert.IsTrue(warp.GetProperty("available").GetBoolean());
        Assert.AreEqual("Homography", warp.GetProperty("family").GetString());
        Assert.AreEqual(8, warp.GetProperty("parameters").GetArrayLength());
        Assert.IsGreaterThanOrEqualTo(0, plain.GetProperty("scoringMs").GetDouble());
        Assert.IsGreaterThanOrEqualTo(0, plain.GetProperty("decodeMs").GetDouble());

        var seen = await (await Client.PostRawAsync(ImageBytes.Png(GtsrbPng.Test[0]), query: "?rectified=true")).JsonAsync();
        var rectified = seen.GetProperty("rectified");
        Assert.IsTrue(rectified.GetProperty("available").GetBoolean());
        Assert.AreEqual(TrainedModels.Size / 2, rectified.GetProperty("width").GetInt32());
        using var png = SKBitmap.Decode(Convert.FromBase64String(rectified.GetProperty("pngBase64").GetString()!));
        Assert.AreEqual(TrainedModels.Size / 2, png.Width);
        Assert.AreEqual(TrainedModels.Size / 2, png.Height);
        Assert.IsGreaterThan(1, png.Pixels.Select(p => p.Red).Distinct().Count(), "the rectified image is not blank");
    }

    [TestMethod]
    public async Task ABatchGivesTheSameAnswersAsSingleRequestsInOrder()
    {
        var images = GtsrbPng.Test.Take(12).ToList();
        var batch = await (await Client.PostBatchAsync(images.Select(i => (ImageBytes.Png(i), Path.GetFileName(i.Path))), "?rectified=true")).JsonAsync();
        Assert.AreEqual(images.Count, batch.GetProperty("count").GetInt32());
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        for (int i = 0; i < images.Count; i++)
        {
            var single = await (await Client.PostRawAsync(ImageBytes.Png(images[i]))).JsonAsync();
            Assert.AreEqual(i, results[i].GetProperty("index").GetInt32());
            Assert.AreEqual(Path.GetFileName(images[i].Path), results[i].GetProperty("fileName").GetString());
            Assert.AreEqual(single.GetProperty("label").GetString(), results[i].GetProperty("label").GetString());
            Assert.AreEqual(single.GetProperty("probability").GetSingle(), results[i].GetProperty("probability").GetSingle());
            Assert.IsTrue(results[i].GetProperty("rectified").GetProperty("available").GetBoolean());
        }
    }

    [TestMethod]
    [DataRow("EnginePool")]
    [DataRow("MicroBatch")]
    public async Task ConcurrentRequestsGetTheSameAnswersAsOneAtATime(string mode)
    {
        using var service = new ServiceFactory(TrainedModels.Full, new Dictionary<string, string> { ["Scoring:Mode"] = mode, ["Scoring:Concurrency"] = "3" });
        using var client = service.CreateClient();
        var images = GtsrbPng.Test.Take(40).ToList();
        var expected = new List<(string, float)>();
        foreach (var image in images)
        {
            var p = await (await client.PostRawAsync(ImageBytes.Png(image))).JsonAsync();
            expected.Add((p.GetProperty("label").GetString()!, p.GetProperty("probability").GetSingle()));
        }
        var model = await client.GetJsonAsync("/model");
        Assert.AreEqual(mode, model.GetProperty("scoringMode").GetString());

        // 400 requests, 16 at a time, each image 10 times.
        using var gate = new SemaphoreSlim(16);
        var tasks = Enumerable.Range(0, 400).Select(async n =>
        {
            await gate.WaitAsync();
            try
            {
                var p = await (await client.PostRawAsync(ImageBytes.Png(images[n % images.Count]))).JsonAsync();
                return (n % images.Count, p.GetProperty("label").GetString()!, p.GetProperty("probability").GetSingle());
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var (index, label, probability) in await Task.WhenAll(tasks))
            Assert.AreEqual(expected[index], (label, probability), $"image {index}");
    }
}
