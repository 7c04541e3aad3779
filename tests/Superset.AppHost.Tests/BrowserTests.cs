using Microsoft.Playwright;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// What a person sees: the web app's migrations page in headless Chromium (the machine's, never a downloaded one),
/// on a laptop and on a phone, with JavaScript off; and the dashboard's traces page. Screenshots go to
/// artifacts/screenshots/.
/// </summary>
[Collection(SharedStackCollection.Name)]
[Trait("Category", "Stack")]
public sealed class BrowserTests(OneMigrationInStack shared)
{
    private static readonly string Screenshots = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "screenshots");

    [Fact]
    public async Task The_migrations_page_shows_the_version_the_history_and_the_at_head_badge()
    {
        // A database one migration in, so that the stack backed it up before applying the other two.
        var stack = shared.Stack;
        var address = new Uri(stack.App.GetEndpoint("web", "http"), "/migrations");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        Directory.CreateDirectory(Screenshots);

        // A laptop, without JavaScript: the essentials are in the HTML.
        var laptop = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, JavaScriptEnabled = false });
        await laptop.GotoAsync(address.ToString());
        Assert.Equal("20261124120000", await laptop.GetByTestId("current-version").InnerTextAsync());
        Assert.Equal("add blog_posts table", await laptop.GetByTestId("current-description").InnerTextAsync());
        Assert.Equal("At head", await laptop.GetByTestId("head-badge").InnerTextAsync());
        var rows = laptop.GetByTestId("history-row");
        Assert.Equal(3, await rows.CountAsync());
        Assert.StartsWith("20261124120000", await rows.First.InnerTextAsync());
        Assert.Contains("create user_preferences table", await rows.Last.InnerTextAsync());
        Assert.Contains("(migration worker)", await rows.First.InnerTextAsync());

        // The pre-upgrade backup, and the way to the worker's traces.
        Assert.Contains($"{stack.DatabaseName}-", await laptop.GetByTestId("backup-row").First.InnerTextAsync());
        var traces = await laptop.GetByText("Migration traces in the dashboard").GetAttributeAsync("href");
        Assert.EndsWith("/traces/resource/migrations", traces);
        await laptop.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "migrations-page.png"), FullPage = true });

        // A phone: readable without scrolling sideways.
        var phone = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, DeviceScaleFactor = 2 });
        await phone.GotoAsync(address.ToString());
        Assert.Equal("At head", await phone.GetByTestId("head-badge").InnerTextAsync());
        Assert.True(await phone.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "migrations-page-phone.png"), FullPage = true });

        // The dashboard's traces page, where that link leads: the worker's run is listed.
        var dashboard = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 700 } });
        await dashboard.GotoAsync(stack.Dashboard.LoginUrl);
        await dashboard.GotoAsync(traces!);
        await dashboard.GetByText("migrations: migration worker").First.WaitForAsync(new() { Timeout = 30_000 });
        await dashboard.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard-traces.png") });
    }
}
