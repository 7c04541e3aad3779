using Superset.Migrations.Engine;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.DeveloperDatabase;

/// <summary>Snapshots: copies on the same server, put back with their rows; another branch's migrations reverted or refused.</summary>
[Trait("Category", "Db")]
public sealed class SnapshotTests
{
    [Fact]
    public async Task A_snapshot_round_trip_gives_the_rows_back_and_keeps_what_it_replaced()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync("INSERT INTO my_new_table (name) SELECT 'row ' || g FROM generate_series(1, 100) g");
        var cli = CliRunner.For(database);

        var saved = await cli.RunAsync("snapshot", "save", "hundred", "--json");
        Assert.True(saved.ExitCode == 0, saved.ToString());
        var entry = saved.Json.GetProperty("snapshots")[0];
        Assert.Equal(20261124120000L, entry.GetProperty("version").GetInt64());

        // An experiment: rows deleted, a table dropped.
        await database.ExecuteAsync("DELETE FROM my_new_table WHERE id % 2 = 0; DROP TABLE user_preferences");

        var restored = await cli.RunAsync("snapshot", "restore", "hundred", "--json");

        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal("before-restore", restored.Json.GetProperty("replacedKeptAs").GetString());
        Assert.Equal(100L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table"));
        Assert.True(await database.TableExistsAsync("user_preferences"));

        // What it replaced can be put back too.
        var list = await cli.RunAsync("snapshot", "list", "--json");
        Assert.Equal(["before-restore", "hundred"], list.Json.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(0, (await cli.RunAsync("snapshot", "restore", "before-restore")).ExitCode);
        Assert.Equal(50L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table"));
        Assert.False(await database.TableExistsAsync("user_preferences"));

        // A name taken is refused unless --replace; deleting drops the copy.
        Assert.Equal(4, (await cli.RunAsync("snapshot", "save", "hundred")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("snapshot", "delete", "hundred")).ExitCode);
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{database.Name}_snapshot_hundred'"));
        var missing = await cli.RunAsync("snapshot", "restore", "hundred");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No snapshot named 'hundred'", missing.Error);
    }

    [Fact]
    public async Task A_snapshot_taken_on_another_branch_is_brought_back_to_this_code_or_refused_with_nothing_changed()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        var cli = CliRunner.For(database);

        foreach (var (branch, name) in new[] { (FeatureBranch.Scriptable, "scriptable"), (FeatureBranch.WithCodeInDown, "code-in-down") })
        {
            await using (var connection = await database.OpenAsync())
            {
                await new MigrationEngine(branch).UpgradeAsync(connection, new UpgradeRequest());
            }

            await database.ExecuteAsync($"INSERT INTO {FeatureBranch.Table} (body) VALUES ('branch work'); INSERT INTO my_new_table (name) VALUES ('{name}')");
            Assert.Equal(0, (await cli.RunAsync("snapshot", "save", name)).ExitCode);
            await using (var connection = await database.OpenAsync())
            {
                await new MigrationEngine(branch).DowngradeAsync(connection, new DowngradeRequest(Steps: 1));
            }

            await database.ExecuteAsync("DELETE FROM my_new_table");
        }

        // Revertible from its stored SQL: restored, then brought back to what this code knows, the other rows kept.
        var restored = await cli.RunAsync("snapshot", "restore", "scriptable", "--json");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal([FeatureBranch.Version], restored.Json.GetProperty("reverted").EnumerateArray().Select(v => v.GetInt64()));
        Assert.False(await database.TableExistsAsync(FeatureBranch.Table));
        Assert.Equal("scriptable", await database.ScalarAsync<string>("SELECT name FROM my_new_table"));

        // Only its code can revert it: refused before anything changes.
        var refused = await cli.RunAsync("snapshot", "restore", "code-in-down");
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains($"holds migration {FeatureBranch.Version} (add feature notes), which this code does not know and which cannot be reverted without its code", refused.Error);
        Assert.Equal("scriptable", await database.ScalarAsync<string>("SELECT name FROM my_new_table"));
    }
}
