using Microsoft.Playwright;
using ScoringService.Tests.Support;

namespace ScoringService.Tests;

/// <summary>
/// The page in a real headless browser: Debian's chromium (scripts/setup.sh installs it), driven by Playwright through
/// its executable path (no browser is downloaded). Loads the page, uploads an image through the file input, waits for
/// the label and checks it against the API's answer; saves screenshots at phone and desktop width.
/// </summary>
[TestClass]
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ThePageShowsTheLabelTheApiGivesAndWhatTheClassifierSaw()
    {
        if (!File.Exists(Chromium))
            Assert.Inconclusive($"{Chromium} is not installed, so the page cannot be tested in a browser. scripts/setup.sh installs it (apt-get install -y chromium); it could not here (no network or no apt).");
        var service = SharedServiceProcess.Instance;
        var image = GtsrbPng.Test.First(i => i.Label == "stop");
        using var client = new HttpClient { BaseAddress = service.Address };
        string expected = (await (await client.PostRawAsync(ImageBytes.Png(image))).JsonAsync()).GetProperty("label").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        string profile = TempFolder.Create("chromium-profile");
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },   // a phone
            Timeout = 60_000,
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(service.Address.ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('model').textContent.includes('classes')");
        await page.SetInputFilesAsync("#file", image.Path);
        await page.WaitForFunctionAsync("() => document.getElementById('label').textContent.length > 0");
        Assert.AreEqual(expected, await page.TextContentAsync("#label"), "the page shows the API's label");
        Assert.AreEqual(4, await page.Locator("#top li").CountAsync(), "one bar per class (4 classes, top 5)");
        await page.WaitForFunctionAsync("() => document.getElementById('rectified').complete && document.getElementById('rectified').naturalWidth > 0");
        Assert.AreEqual(TrainedModels.Size / 2, await page.EvaluateAsync<int>("() => document.getElementById('rectified').naturalWidth"), "what the classifier saw");
        Assert.IsTrue(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at phone width");
        Save(await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }), "page-phone.png");

        await page.SetViewportSizeAsync(900, 900);
        Save(await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }), "page-desktop.png");
        Assert.IsEmpty(errors, string.Join("\n", errors));
    }

    private void Save(byte[] png, string name)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, png);
        TestContext.AddResultFile(path);
        TestContext.WriteLine($"Screenshot: {path}");
    }
}
