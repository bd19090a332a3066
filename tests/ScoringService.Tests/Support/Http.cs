using System.Net.Http.Headers;
using System.Text.Json;

namespace ScoringService.Tests.Support;

/// <summary>Requests the tests send, and reading their answers.</summary>
internal static class Http
{
    /// <summary>POST /predict with the image as the raw body.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, byte[] bytes, string? contentType = "image/png", string query = "") =>
        client.PostAsync("/predict" + query, Raw(bytes, contentType));

    /// <summary>POST /predict with the image as the form field <paramref name="field"/>.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, byte[] bytes, string fileName = "image.png", string field = "image",
        string contentType = "image/png", string query = "")
    {
        var form = new MultipartFormDataContent { { Raw(bytes, contentType), field, fileName } };
        return client.PostAsync("/predict" + query, form);
    }

    /// <summary>POST /predict/batch with one form field 'images' per image.</summary>
    public static Task<HttpResponseMessage> PostBatchAsync(this HttpClient client, IEnumerable<(byte[] Bytes, string FileName)> images, string query = "")
    {
        var form = new MultipartFormDataContent();
        foreach (var (bytes, fileName) in images)
            form.Add(Raw(bytes, "application/octet-stream"), "images", fileName);
        return client.PostAsync("/predict/batch" + query, form);
    }

    /// <summary>The body as JSON; fails the test with the body when the status is not <paramref name="expected"/>.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, int expected = 200)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(expected, (int)response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// A refused request: checks the status, the RFC 7807 content type (application/problem+json) and the problem's
    /// fields, and returns it.
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status, string code)
    {
        var problem = await response.JsonAsync(status);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, problem.ToString());
        Assert.AreEqual(status, problem.GetProperty("status").GetInt32());
        Assert.AreEqual(code, problem.GetProperty("code").GetString(), problem.ToString());
        Assert.IsFalse(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.IsFalse(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    private static ByteArrayContent Raw(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>GET as JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, int expected = 200) =>
        await (await client.GetAsync(path)).JsonAsync(expected);
}
