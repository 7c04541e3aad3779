using Superset.Tests.Shared;

namespace Superset.Tests.Cli;

/// <summary>Each command's happy path against a real database, in the seed's words.</summary>
public sealed class CommandTests
{
    private const long First = 20261124100000, Second = 20261124110000, Head = 20261124120000;

    [Fact]
    public async Task Status_on_a_fresh_database_lists_everything_pending_and_exits_3()
    {
        await using var database = await NewDatabaseAsync();
        var status = await Cli.For(database).RunAsync("status");

        Assert.Equal(3, status.ExitCode);
        Assert.Contains("✅ Current version: none (no migrations applied)", status.Out);
        Assert.Contains("⏳ Pending migrations (3):", status.Out);
        Assert.Contains($"{Head}  add blog_posts table", status.Out);
        Assert.Contains("📁 Migrations location: ", status.Out);
    }

    [Fact]
    public async Task Upgrade_prints_each_migration_with_its_time_then_status_says_no_pending_migrations()
    {
        await using var database = await NewDatabaseAsync();
        var cli = Cli.For(database);

        var upgrade = await cli.RunAsync("upgrade");
        Assert.Equal(0, upgrade.ExitCode);
        Assert.Matches(@"⬆ 20261124100000  create user_preferences table … [\d.]+ ms", upgrade.Out);
        Assert.Matches(@"⬆ 20261124120000  add blog_posts table … [\d.]+ ms", upgrade.Out);
        Assert.Contains($"✅ Current version: {Head} (add blog_posts table)", upgrade.Out);

        var status = await cli.RunAsync("status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"✅ Current version: {Head} (add blog_posts table)", status.Out);
        Assert.Contains("✅ No pending migrations", status.Out);

        var again = await cli.RunAsync("upgrade");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("✅ No pending migrations", again.Out);
    }

    [Fact]
    public async Task Upgrade_to_a_target_stops_there_and_current_says_only_the_version()
    {
        await using var database = await NewDatabaseAsync();
        var cli = Cli.For(database);

        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", Second.ToString())).ExitCode);

        var current = await cli.RunAsync("current");
        Assert.Equal($"✅ Current version: {Second} (add my_new_table)", current.Out.Trim());
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('public.blog_posts') IS NOT NULL"));
    }

    [Fact]
    public async Task History_lists_every_migration_newest_first_with_applied_and_pending()
    {
        await using var database = await NewDatabaseAsync();
        var cli = Cli.For(database);
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
        await using var database = await NewDatabaseAsync();
        var cli = Cli.For(database);
        await cli.RunAsync("upgrade");

        var one = await cli.RunAsync("downgrade");
        Assert.Equal(0, one.ExitCode);
        Assert.Contains("WARNING", one.Error);
        Assert.Contains("can lose data", one.Error);
        Assert.Contains($"⬇ {Head}  add blog_posts table", one.Out);
        Assert.Contains($"✅ Current version: {Second} (add my_new_table)", one.Out);
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('public.blog_posts') IS NOT NULL"));

        var two = await cli.RunAsync("downgrade", "--steps", "1");
        Assert.Contains($"✅ Current version: {First}", two.Out);

        var all = await cli.RunAsync("downgrade", "--target", "base");
        Assert.Equal(0, all.ExitCode);
        Assert.Contains("✅ Current version: none", all.Out);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task Stamp_records_versions_without_running_them()
    {
        await using var database = await NewDatabaseAsync();
        var cli = Cli.For(database);

        var stamp = await cli.RunAsync("stamp", "head");
        Assert.Equal(0, stamp.ExitCode);
        Assert.Contains("3 marked applied without running", stamp.Out);
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history WHERE applied_via = 'stamp'"));
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('public.blog_posts') IS NOT NULL"));

        var back = await cli.RunAsync("stamp", Second.ToString());
        Assert.Contains("1 forgotten", back.Out);
        var status = await cli.RunAsync("status");
        Assert.Contains($"✅ Current version: {Second}", status.Out);
        Assert.Equal(3, status.ExitCode);
    }

    [Fact]
    public async Task Init_creates_the_database_and_version_table_once_and_says_what_was_there()
    {
        var server = await TestPostgresServer.GetAsync();
        var name = $"t_init_{Guid.NewGuid():N}"[..30];
        var builder = server.ConnectionString(name);
        var cli = new Cli($"postgresql://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/{name}");
        try
        {
            var first = await cli.RunAsync("init", "--json");
            Assert.Equal(0, first.ExitCode);
            Assert.True(first.Json.GetProperty("createdDatabase").GetBoolean());
            Assert.True(first.Json.GetProperty("createdVersionTable").GetBoolean());

            var second = await cli.RunAsync("init");
            Assert.Equal(0, second.ExitCode);
            Assert.Contains("(already there)", second.Out);
            Assert.DoesNotContain("(created)", second.Out);
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
        await using var database = await NewDatabaseAsync();
        var result = await Cli.For(database).RunAsync(command, "--json");

        Assert.True(result.Json.ValueKind == System.Text.Json.JsonValueKind.Object, result.ToString());
        Assert.DoesNotContain("✅", result.Out);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("upgrade")]
    [InlineData("downgrade")]
    [InlineData("create")]
    [InlineData("stamp")]
    public async Task Every_command_has_help(string command)
    {
        var help = await new Cli("postgresql://unused@localhost/unused").RunAsync(command, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains($"Usage:\n  manage_migrations.sh {command}", help.Out);
        Assert.Contains("--json", help.Out);
    }

    private static async Task<TestDatabase> NewDatabaseAsync() => await (await TestPostgresServer.GetAsync()).CreateDatabaseAsync();
}
