extern alias web;
using Superset.Tests.Cli;

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Superset.Tests.Shared;

namespace Superset.Tests.Web;

/// <summary>/api/migrations and the /migrations page, against a real database and a real backups folder.</summary>
[Trait("Category", "Db")]
public sealed partial class MigrationsApiTests
{
    [Fact]
    public async Task A_database_one_behind_shows_its_version_the_pending_migration_the_history_and_the_backups()
    {
        await using var database = await TestDatabases.NewAsync();
        var backups = TestPaths.NewTempDirectory("web-backups");
        var cli = Superset.Tests.Cli.CliRunner.For(database);
        await cli.RunAsync("upgrade", "--target", "20261124110000", "--no-backup");
        Assert.Equal(0, (await cli.RunAsync("backup", "--backup-dir", backups)).ExitCode);
        await using var web = new WebHost(database, ("Backup:Directory", backups));
        using var http = web.CreateClient();

        var json = JsonDocument.Parse(await http.GetStringAsync("/api/migrations")).RootElement;
        Assert.Equal(database.Name, json.GetProperty("database").GetString());
        Assert.Equal(20261124110000L, json.GetProperty("current").GetProperty("version").GetInt64());
        Assert.Equal("add my_new_table", json.GetProperty("current").GetProperty("description").GetString());
        Assert.Equal(20261124120000L, json.GetProperty("head").GetProperty("version").GetInt64());
        Assert.False(json.GetProperty("atHead").GetBoolean());
        Assert.Equal([20261124120000L], json.GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("version").GetInt64()));
        var history = json.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([20261124110000L, 20261124100000L], history.Select(h => h.GetProperty("version").GetInt64()));
        Assert.All(history, h =>
        {
            Assert.Equal("upgrade", h.GetProperty("appliedVia").GetString());
            Assert.Contains("command line", h.GetProperty("appliedBy").GetString());
            Assert.True(h.GetProperty("appliedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        });
        var backup = Assert.Single(json.GetProperty("backups").EnumerateArray());
        Assert.Equal(20261124110000L, backup.GetProperty("version").GetInt64());
        Assert.True(backup.GetProperty("size").GetInt64() > 0);
        Assert.Matches($"^{database.Name}-\\d{{8}}-\\d{{6}}-v20261124110000\\.dump$", backup.GetProperty("file").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("dashboard").ValueKind);

        var page = await http.GetAsync("/migrations");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<div class=\"version\" data-testid=\"current-version\">20261124110000</div>", html);
        Assert.Contains(">Behind: 1 to apply</span>", html);
        Assert.Contains("<code>20261124120000</code> add blog_posts table", html);
        Assert.Equal(2, HistoryRow().Count(html));
        Assert.Single(BackupRow().Matches(html));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task At_head_the_page_says_so_and_links_to_the_dashboard_without_its_login_token()
    {
        await using var database = await TestDatabases.NewAsync();
        await Superset.Tests.Cli.CliRunner.For(database).RunAsync("upgrade", "--no-backup");
        await using var web = new WebHost(database, ("Dashboard:Url", "http://localhost:15888/login?t=secret-token"));
        using var http = web.CreateClient();

        var json = JsonDocument.Parse(await http.GetStringAsync("/api/migrations")).RootElement;
        Assert.True(json.GetProperty("atHead").GetBoolean());
        Assert.Equal("http://localhost:15888/traces/resource/migrations", json.GetProperty("dashboard").GetProperty("traces").GetString());
        Assert.Equal(0, json.GetProperty("backups").GetArrayLength());

        var html = await http.GetStringAsync("/");
        Assert.Contains(">At head</span>", html);
        Assert.Equal(3, HistoryRow().Count(html));
        Assert.Contains("href=\"http://localhost:15888/traces/resource/migrations\"", html);
        Assert.DoesNotContain("secret-token", html);
    }

    [Fact]
    public async Task Reading_an_empty_database_creates_nothing_and_no_endpoint_but_the_blog_posts_writes()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var web = new WebHost(database);
        using var http = web.CreateClient();

        var json = JsonDocument.Parse(await http.GetStringAsync("/api/migrations")).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("current").ValueKind);
        Assert.Equal(3, json.GetProperty("pending").GetArrayLength());
        Assert.Contains(">Behind: 3 to apply</span>", await http.GetStringAsync("/migrations"));
        Assert.False(await database.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'migrations')"));

        // Every endpoint that accepts anything but GET/HEAD belongs to the blog posts (the health checks, which read,
        // accept any method).
        var writers = web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not { } methods
                || methods.HttpMethods.Any(m => m is not ("GET" or "HEAD")))
            .Select(e => e.RoutePattern.RawText ?? "")
            .Except(["/health", "/alive"])
            .ToArray();
        Assert.NotEmpty(writers);
        Assert.All(writers, route => Assert.StartsWith("/api/blog-posts", route));
    }

    [GeneratedRegex("data-testid=\"history-row\"")]
    private static partial Regex HistoryRow();

    [GeneratedRegex("data-testid=\"backup-row\"")]
    private static partial Regex BackupRow();
}
