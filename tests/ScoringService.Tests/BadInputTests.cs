using System.Net.Http.Headers;
using ScoringService.Tests.Support;

namespace ScoringService.Tests;

/// <summary>
/// Every bad upload gets a 4xx with an RFC 7807 problem+json body that says what was wrong (never a 500), and the
/// service keeps answering afterwards: each test ends with a good request.
/// </summary>
[TestClass]
public sealed class BadInputTests
{
    private static ServiceFactory _service = null!;
    private static HttpClient _client = null!;

    [ClassInitialize]
    public static void StartService(TestContext _)
    {
        // Small limits so that "too large" is cheap to send: 64 KiB per image, 4 images and 256 KiB per batch.
        _service = new ServiceFactory(TrainedModels.Full, new Dictionary<string, string>
        {
            ["Scoring:MaxImageBytes"] = "65536",
            ["Scoring:MaxBatchImages"] = "4",
            ["Scoring:MaxBatchBytes"] = "262144",
        });
        _client = _service.CreateClient();
    }

    [ClassCleanup]
    public static void StopService()
    {
        _client.Dispose();
        _service.Dispose();
    }

    [TestCleanup]
    public async Task TheServiceStillAnswers()
    {
        var health = await _client.GetJsonAsync("/health");
        Assert.AreEqual("Healthy", health.GetProperty("status").GetString());
        var prediction = await (await _client.PostRawAsync(ImageBytes.Png(GtsrbPng.Test[0]))).JsonAsync();
        Assert.IsFalse(string.IsNullOrEmpty(prediction.GetProperty("label").GetString()));
    }

    [TestMethod]
    public async Task AnEmptyBody() =>
        await (await _client.PostRawAsync([])).ProblemAsync(400, "empty-image");

    [TestMethod]
    public async Task AnEmptyBodyWithoutContentType()
    {
        var problem = await (await _client.PostAsync("/predict", null)).ProblemAsync(400, "empty-image");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "empty");
    }

    [TestMethod]
    public async Task RandomBytes()
    {
        var problem = await (await _client.PostRawAsync(ImageBytes.Random(), "image/png")).ProblemAsync(415, "unsupported-image-format");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "PNG, JPEG, BMP, GIF or WebP");
    }

    [TestMethod]
    public async Task ATextFileAsTheFormField()
    {
        var problem = await (await _client.PostFormAsync("Not an image, just notes.\n"u8.ToArray(), "notes.txt", contentType: "text/plain")).ProblemAsync(415, "unsupported-image-format");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "notes.txt");
    }

    [TestMethod]
    public async Task ATruncatedJpeg()
    {
        var problem = await (await _client.PostRawAsync(ImageBytes.Truncated(ImageBytes.PhotoJpeg()), "image/jpeg")).ProblemAsync(400, "truncated-image");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "jpeg");
    }

    [TestMethod]
    public async Task AZeroByteFile()
    {
        var problem = await (await _client.PostFormAsync([], "empty.png")).ProblemAsync(400, "empty-image");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "empty.png");
    }

    [TestMethod]
    [DataRow("text/plain")]
    [DataRow("application/json")]
    [DataRow("application/x-www-form-urlencoded")]   // what curl --data-binary sends without -H
    public async Task AWrongContentType(string contentType)
    {
        var problem = await (await _client.PostRawAsync(ImageBytes.Png(GtsrbPng.Test[0]), contentType)).ProblemAsync(415, "unsupported-content-type");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), contentType);
    }

    [TestMethod]
    public async Task ABodyOverTheSizeLimit()
    {
        var big = new byte[65537];
        ImageBytes.Png(GtsrbPng.Test[0]).CopyTo(big, 0);
        var problem = await (await _client.PostRawAsync(big)).ProblemAsync(413, "too-large");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "Scoring:MaxImageBytes");
        await (await _client.PostFormAsync(big, "big.png")).ProblemAsync(413, "too-large");
    }

    [TestMethod]
    public async Task AChunkedBodyOverTheSizeLimit()
    {
        // No Content-Length: the limit is enforced while reading.
        var content = new StreamContent(new MemoryStream(new byte[200_000]));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await (await _client.SendAsync(request)).ProblemAsync(413, "too-large");
    }

    [TestMethod]
    public async Task ADecompressionBomb()
    {
        var bomb = ImageBytes.PngBomb();
        var problem = await (await _client.PostRawAsync(bomb)).ProblemAsync(413, "too-many-pixels");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "20000 × 20000");
        await (await _client.PostBatchAsync([(bomb, "bomb.png")])).ProblemAsync(413, "too-many-pixels");
    }

    [TestMethod]
    public async Task ABatchOverItsLimit()
    {
        var image = ImageBytes.Png(GtsrbPng.Test[0]);
        var problem = await (await _client.PostBatchAsync(Enumerable.Range(0, 5).Select(i => (image, $"{i}.png")))).ProblemAsync(413, "batch-too-large");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "Scoring:MaxBatchImages");
        var heavy = new byte[60_000];
        image.CopyTo(heavy, 0);
        await (await _client.PostBatchAsync(Enumerable.Range(0, 5).Select(i => (heavy, $"{i}.png")))).ProblemAsync(413, "too-large");
    }

    [TestMethod]
    public async Task ABatchWithOneBadImageNamesIt()
    {
        var good = ImageBytes.Png(GtsrbPng.Test[0]);
        var problem = await (await _client.PostBatchAsync([(good, "a.png"), (ImageBytes.Truncated(ImageBytes.PhotoJpeg()), "b.jpg"), (good, "c.png")]))
            .ProblemAsync(400, "truncated-image");
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.AreEqual(1, error.GetProperty("index").GetInt32());
        Assert.AreEqual("b.jpg", error.GetProperty("fileName").GetString());
    }

    [TestMethod]
    public async Task AMissingFormField()
    {
        var problem = await (await _client.PostFormAsync(ImageBytes.Png(GtsrbPng.Test[0]), field: "file")).ProblemAsync(400, "missing-form-field");
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "'file'");
        await (await _client.PostAsync("/predict", new MultipartFormDataContent { { new StringContent("x"), "note" } })).ProblemAsync(400, "missing-form-field");
        await (await _client.PostAsync("/predict/batch", new MultipartFormDataContent { { new StringContent("x"), "note" } })).ProblemAsync(400, "missing-form-field");
    }

    [TestMethod]
    public async Task ABatchThatIsNotAForm() =>
        await (await _client.PostAsync("/predict/batch", new ByteArrayContent(ImageBytes.Png(GtsrbPng.Test[0])) { Headers = { ContentType = new("image/png") } }))
            .ProblemAsync(415, "unsupported-content-type");

    [TestMethod]
    public async Task AMalformedForm()
    {
        var content = new ByteArrayContent("--xyz\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");
        await (await _client.PostAsync("/predict", content)).ProblemAsync(400, "malformed-form");
    }

    [TestMethod]
    public async Task ABadQueryParameter() =>
        await (await _client.PostRawAsync(ImageBytes.Png(GtsrbPng.Test[0]), query: "?rectified=maybe")).ProblemAsync(400, "bad-query");

    [TestMethod]
    public async Task AnUnknownPathOrMethod()
    {
        var missing = await _client.GetAsync("/nothing-here");
        Assert.AreEqual(404, (int)missing.StatusCode);
        Assert.AreEqual("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var wrongMethod = await _client.GetAsync("/predict");
        Assert.AreEqual(405, (int)wrongMethod.StatusCode);
        Assert.AreEqual("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
    }
}
