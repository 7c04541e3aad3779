using Superset.Tests.Cli;
using System.Net;
using System.Text.Json;
using Superset.Tests.Shared;

namespace Superset.Tests.Web;

/// <summary>The web app never serves a schema that is behind: it is not ready until the database has every migration it knows.</summary>
[Trait("Category", "Db")]
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_is_unhealthy_naming_the_missing_migrations_until_the_database_is_at_head()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Superset.Tests.Cli.CliRunner.For(database);
        await cli.RunAsync("upgrade", "--target", "20261124110000");
        await using var web = new WebHost(database);
        using var http = web.CreateClient();

        var behind = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        var report = JsonDocument.Parse(await behind.Content.ReadAsStringAsync()).RootElement;
        var schema = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "schema-version");
        Assert.Equal("Unhealthy", schema.GetProperty("status").GetString());
        Assert.Contains("at 20261124110000", schema.GetProperty("description").GetString());
        Assert.Contains("needs 20261124120000 (add blog_posts table)", schema.GetProperty("description").GetString());

        // Liveness stays green: the process is fine, only the schema is not ready.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);

        await cli.RunAsync("upgrade");
        var ready = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task In_production_readiness_and_liveness_answer_with_their_status_alone()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Superset.Tests.Cli.CliRunner.For(database);
        await cli.RunAsync("upgrade", "--target", "20261124110000");
        await using var web = new WebHost(database) { Environment = "Production" };
        using var http = web.CreateClient();

        var behind = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        Assert.Equal("Unhealthy", await behind.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);

        await cli.RunAsync("upgrade");
        var ready = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}
