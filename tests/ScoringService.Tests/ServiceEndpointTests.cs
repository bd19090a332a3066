using ScoringService.Tests.Support;

namespace ScoringService.Tests;

/// <summary>GET /model, /health, the OpenAPI document and the page.</summary>
[TestClass]
public sealed class ServiceEndpointTests
{
    private static HttpClient Client => SharedService.Client;

    [TestMethod]
    public async Task ModelDescribesWhatIsServed()
    {
        var model = await Client.GetJsonAsync("/model");
        var graph = Ml.Trainers.Export.StnOnnxGraph.Read(TrainedModels.Full).Description;
        Assert.AreEqual(graph.Sha256, model.GetProperty("graphSha256").GetString());
        Assert.AreEqual(64, model.GetProperty("fileSha256").GetString()!.Length);
        CollectionAssert.AreEquivalent(GtsrbPng.Classes.Values.ToList(), model.GetProperty("classes").EnumerateArray().Select(c => c.GetString()).ToList());
        CollectionAssert.AreEqual(graph.ClassLabels.ToList(), model.GetProperty("classes").EnumerateArray().Select(c => c.GetString()).ToList(), "score order");
        var input = model.GetProperty("input");
        Assert.AreEqual(TrainedModels.Size, input.GetProperty("width").GetInt32());
        Assert.AreEqual(TrainedModels.Size, input.GetProperty("height").GetInt32());
        Assert.AreEqual("image", input.GetProperty("kind").GetString());
        Assert.AreEqual("InverseCompositionalStn", model.GetProperty("architecture").GetString());
        Assert.AreEqual("Linearized", model.GetProperty("sampler").GetString());
        Assert.AreEqual("Homography", model.GetProperty("warp").GetString());
        Assert.AreEqual(2, model.GetProperty("downsampling").GetInt32());
        Assert.AreEqual(8, model.GetProperty("outputs").GetProperty("warpParameters").GetInt32());
        Assert.AreEqual(TrainedModels.Size / 2, model.GetProperty("outputs").GetProperty("rectifiedWidth").GetInt32());
        Assert.AreEqual("EnginePool", model.GetProperty("scoringMode").GetString());
    }

    [TestMethod]
    public async Task HealthIsReadyOnceTheModelIsLoaded()
    {
        var health = await Client.GetJsonAsync("/health");
        Assert.AreEqual("Healthy", health.GetProperty("status").GetString());
        Assert.AreEqual(Ml.Trainers.Export.StnOnnxGraph.Read(TrainedModels.Full).Description.Sha256,
            health.GetProperty("data").GetProperty("graphSha256").GetString());
    }

    [TestMethod]
    public async Task TheOpenApiDocumentDescribesTheEndpoints()
    {
        var document = await Client.GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/predict", "/predict/batch", "/model" })
            Assert.IsTrue(paths.TryGetProperty(path, out _), path);
        var body = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.IsTrue(body.TryGetProperty("multipart/form-data", out var form));
        Assert.IsTrue(form.GetProperty("schema").GetProperty("properties").TryGetProperty("image", out _));
        Assert.IsTrue(body.TryGetProperty("image/jpeg", out _));
        var responses = paths.GetProperty("/predict").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "200", "400", "413", "415" })
            Assert.IsTrue(responses.TryGetProperty(status, out _), status);
    }

    [TestMethod]
    public async Task ThePageIsServedWithItsScriptAndStyles()
    {
        var page = await Client.GetAsync("/");
        Assert.AreEqual("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        StringAssert.Contains(html, "<input id=\"file\" type=\"file\"");
        StringAssert.Contains(html, "name=\"viewport\"");
        Assert.AreEqual("text/javascript", (await Client.GetAsync("/app.js")).Content.Headers.ContentType?.MediaType);
        StringAssert.Contains(await Client.GetStringAsync("/app.js"), "/predict?rectified=true");
        Assert.AreEqual("text/css", (await Client.GetAsync("/app.css")).Content.Headers.ContentType?.MediaType);
    }
}
