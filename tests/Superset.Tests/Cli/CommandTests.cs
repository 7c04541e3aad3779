using System.Text.Json;
using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>Each command's happy path against a real database, read through --json (the words are pinned in GoldenOutputTests).</summary>
[Trait("Category", "Db")]
public sealed class CommandTests
{
    private const long First = 20261124100000, Second = 20261124110000, Head = 20261124120000;

    [Fact]
    public async Task Status_on_a_fresh_database_lists_everything_pending_and_exits_3()
    {
        await using var database = await TestDatabases.NewAsync();
        var status = await CliRunner.For(database).RunAsync("status", "--json");

        Assert.Equal(3, status.ExitCode);
        Assert.Equal(JsonValueKind.Null, status.Json.GetProperty("current").ValueKind);
        Assert.Equal([First, Second, Head], Versions(status.Json.GetProperty("pending")));
        Assert.False(status.Json.GetProperty("atHead").GetBoolean());
        Assert.EndsWith(Path.Combine("Superset.Migrations", "Migrations"), status.Json.GetProperty("migrationsLocation").GetString());
    }

    [Fact]
    public async Task Upgrade_applies_each_migration_with_its_time_then_status_is_at_head_and_a_second_upgrade_does_nothing()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);

        var upgrade = await cli.RunAsync("upgrade", "--json");
        Assert.Equal(0, upgrade.ExitCode);
        Assert.Equal([First, Second, Head], Versions(upgrade.Json.GetProperty("migrations")));
        Assert.All(upgrade.Json.GetProperty("migrations").EnumerateArray(), m => Assert.True(m.GetProperty("durationMs").GetDouble() >= 0));
        Assert.Equal(Head, upgrade.Json.GetProperty("toVersion").GetInt64());

        var status = await cli.RunAsync("status", "--json");
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(Head, status.Json.GetProperty("current").GetProperty("version").GetInt64());
        Assert.True(status.Json.GetProperty("atHead").GetBoolean());

        var again = await cli.RunAsync("upgrade", "--json");
        Assert.Equal(0, again.ExitCode);
        Assert.Empty(Versions(again.Json.GetProperty("migrations")));
    }

    [Fact]
    public async Task Upgrade_to_a_target_stops_there_and_current_says_only_the_version()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);

        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", Second.ToString())).ExitCode);

        var current = await cli.RunAsync("current", "--json");
        Assert.Equal(Second, current.Json.GetProperty("current").GetProperty("version").GetInt64());
        Assert.Equal("add my_new_table", current.Json.GetProperty("current").GetProperty("description").GetString());
        Assert.False(await database.TableExistsAsync("blog_posts"));
    }

    [Fact]
    public async Task History_lists_every_migration_newest_first_with_applied_and_pending()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);
        await cli.RunAsync("upgrade", "--target", First.ToString());

        var history = await cli.RunAsync("history", "--json");

        Assert.Equal(0, history.ExitCode);
        var entries = history.Json.GetProperty("migrations").EnumerateArray().ToArray();
        Assert.Equal([Head, Second, First], entries.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(["pending", "pending", "applied"], entries.Select(e => e.GetProperty("state").GetString()));
        Assert.Contains("command line", entries[2].GetProperty("appliedBy").GetString());
    }

    [Fact]
    public async Task Downgrade_reverts_the_last_migration_by_default_with_a_warning_and_steps_or_base_revert_more()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);

        var one = await cli.RunAsync("downgrade", "--json");
        Assert.Equal(0, one.ExitCode);
        Assert.Contains("can lose data", one.Error);
        Assert.Equal([Head], Versions(one.Json.GetProperty("migrations")));
        Assert.Equal(Second, one.Json.GetProperty("toVersion").GetInt64());
        Assert.False(await database.TableExistsAsync("blog_posts"));

        var two = await cli.RunAsync("downgrade", "--steps", "1", "--json");
        Assert.Equal(First, two.Json.GetProperty("toVersion").GetInt64());

        var all = await cli.RunAsync("downgrade", "--target", "base", "--json");
        Assert.Equal(0, all.ExitCode);
        Assert.Equal(JsonValueKind.Null, all.Json.GetProperty("toVersion").ValueKind);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task Stamp_records_versions_without_running_them()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = CliRunner.For(database);

        var stamp = await cli.RunAsync("stamp", "head", "--json");
        Assert.Equal(0, stamp.ExitCode);
        Assert.Equal([First, Second, Head], Versions(stamp.Json.GetProperty("marked")));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history WHERE applied_via = 'stamp'"));
        Assert.False(await database.TableExistsAsync("blog_posts"));

        var back = await cli.RunAsync("stamp", Second.ToString(), "--json");
        Assert.Equal([Head], Versions(back.Json.GetProperty("forgotten")));
        var status = await cli.RunAsync("status", "--json");
        Assert.Equal(Second, status.Json.GetProperty("current").GetProperty("version").GetInt64());
        Assert.Equal(3, status.ExitCode);
    }

    [Fact]
    public async Task Init_creates_the_database_and_version_table_once_and_says_what_was_there()
    {
        var server = await TestPostgresServer.GetAsync();
        var name = $"t_init_{Guid.NewGuid():N}"[..30];
        var builder = server.ConnectionString(name);
        var cli = new CliRunner($"postgresql://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/{name}");
        try
        {
            var first = await cli.RunAsync("init", "--json");
            Assert.Equal(0, first.ExitCode);
            Assert.True(first.Json.GetProperty("createdDatabase").GetBoolean());
            Assert.True(first.Json.GetProperty("createdVersionTable").GetBoolean());

            var second = await cli.RunAsync("init", "--json");
            Assert.Equal(0, second.ExitCode);
            Assert.False(second.Json.GetProperty("createdDatabase").GetBoolean());
            Assert.False(second.Json.GetProperty("createdVersionTable").GetBoolean());
        }
        finally
        {
            await new TestDatabase(server, name).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("status")]
    [InlineData("current")]
    [InlineData("history")]
    [InlineData("heads")]
    [InlineData("check")]
    [InlineData("upgrade")]
    [InlineData("init")]
    public async Task Every_command_prints_json_that_parses(string command)
    {
        await using var database = await TestDatabases.NewAsync();
        var result = await CliRunner.For(database).RunAsync(command, "--json");

        Assert.True(result.Json.ValueKind == System.Text.Json.JsonValueKind.Object, result.ToString());
        Assert.DoesNotContain("✅", result.Out);
    }

    /// <summary>
    /// The reading commands open the connection while the migrations load: when these cannot be loaded, that is the
    /// error said, and the connection opened meanwhile is closed, not left on the server.
    /// </summary>
    [Theory]
    [InlineData("status")]
    [InlineData("current")]
    [InlineData("history")]
    [InlineData("heads")]
    public async Task A_reading_command_with_migrations_it_cannot_load_says_so_and_leaves_no_session(string command)
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var missing = Path.Combine(TestPaths.NewTempDirectory("no-migrations"), "Missing.Migrations.dll");

        var result = await new CliRunner(CliRunner.For(database).DatabaseUri, missing).RunAsync(command);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"❌ ERROR: --migrations-assembly: no file at {missing}.", result.Error.Trim());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "a session of the command was still open 10 s after it ended");
            await Task.Delay(50);
        }
    }

    private static long[] Versions(JsonElement migrations) => migrations.EnumerateArray().Select(m => m.GetProperty("version").GetInt64()).ToArray();
}
