using Superset.Migrations.Engine;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Engine;

/// <summary>
/// A migration applied on a feature branch, then the database opened by code that does not have it: the engine keeps
/// every migration's way back (its Down() SQL) and reverts such migrations from it, or refuses when it cannot.
/// </summary>
[Trait("Category", "Db")]
public sealed class BranchSwitchTests
{
    private const long Head = 20261124120000;

    private static async Task<TestDatabase> OnTheFeatureBranchAsync(MigrationSource branch)
    {
        var database = await TestDatabases.NewMigratedAsync();
        await using var connection = await database.OpenAsync();
        await new MigrationEngine(branch).UpgradeAsync(connection, new UpgradeRequest());
        await database.ExecuteAsync($"INSERT INTO my_new_table (name) VALUES ('kept'); INSERT INTO {FeatureBranch.Table} (body) VALUES ('branch work')");
        return database;
    }

    /// <summary>
    /// Found by pressing F5 on a database migrated before history rows kept their Down() SQL: status and the backup
    /// step failed with "42703: column down_sql does not exist" and the web app never started. Reading must not need
    /// the column (readers never write); the next upgrade adds it.
    /// </summary>
    [Fact]
    public async Task A_history_table_from_before_down_sql_is_read_as_not_revertible_and_the_next_upgrade_adds_the_column()
    {
        await using var database = await TestDatabases.NewMigratedAsync();
        await database.ExecuteAsync("ALTER TABLE migrations.history DROP COLUMN down_sql; DROP TABLE blog_posts; DELETE FROM migrations.history WHERE version = " + Head);
        await using var connection = await database.OpenAsync();
        var engine = new MigrationEngine(MigrationSource.App);

        var before = await engine.PlanAsync(connection);
        var result = await engine.UpgradeAsync(connection, new UpgradeRequest());

        Assert.Equal(2, before.Applied.Count);
        Assert.All(before.Applied, a => Assert.False(a.Revertible));
        Assert.Equal([Head], result.Migrations.Select(m => m.Migration.Version));
        Assert.True((await engine.PlanAsync(connection)).Applied.Single(a => a.Version == Head).Revertible);
    }

    [Fact]
    public async Task Every_applied_migration_stores_its_down_sql_unless_its_down_runs_code()
    {
        await using var scriptable = await OnTheFeatureBranchAsync(FeatureBranch.Scriptable);
        await using var withCode = await OnTheFeatureBranchAsync(FeatureBranch.WithCodeInDown);

        Assert.Equal("DROP TABLE feature_notes", await scriptable.ScalarAsync<string>($"SELECT down_sql FROM migrations.history WHERE version = {FeatureBranch.Version}"));
        Assert.Equal("DROP TABLE \"public\".\"blog_posts\"", await scriptable.ScalarAsync<string>($"SELECT down_sql FROM migrations.history WHERE version = {Head}"));
        Assert.Null(await withCode.ScalarAsync<string>($"SELECT down_sql FROM migrations.history WHERE version = {FeatureBranch.Version}"));

        await using var connection = await scriptable.OpenAsync();
        var unknown = Assert.Single((await new MigrationEngine(MigrationSource.App).PlanAsync(connection)).Unknown);
        Assert.Equal(FeatureBranch.Version, unknown.Version);
        Assert.True(unknown.Revertible);
    }

    [Fact]
    public async Task An_upgrade_asked_to_reverts_the_other_branch_first_after_the_backup_and_keeps_every_other_row()
    {
        await using var database = await OnTheFeatureBranchAsync(FeatureBranch.Scriptable);
        await using var connection = await database.OpenAsync();
        var backupsTaken = 0;

        var result = await new MigrationEngine(MigrationSource.App).UpgradeAsync(connection, new UpgradeRequest(RevertUnknown: true),
            beforeApplying: (_, _, _, _) => { backupsTaken++; return Task.CompletedTask; });

        Assert.Equal(1, backupsTaken);
        Assert.Equal([FeatureBranch.Version], result.Reverted.Select(r => r.Migration.Version));
        Assert.Empty(result.Migrations);
        Assert.Equal(Head, result.ToVersion);
        Assert.False(await database.TableExistsAsync(FeatureBranch.Table));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM my_new_table WHERE name = 'kept'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'revert-unknown'"));
        Assert.True((await new MigrationEngine(MigrationSource.App).PlanAsync(connection)).IsAtHead);
    }

    [Fact]
    public async Task Without_being_asked_or_without_stored_sql_the_engine_refuses_and_changes_nothing()
    {
        await using var database = await OnTheFeatureBranchAsync(FeatureBranch.WithCodeInDown);
        await using var connection = await database.OpenAsync();
        var engine = new MigrationEngine(MigrationSource.App);

        var plain = await Assert.ThrowsAsync<MigrationException>(() => engine.UpgradeAsync(connection, new UpgradeRequest()));
        var asked = await Assert.ThrowsAsync<MigrationException>(() => engine.UpgradeAsync(connection, new UpgradeRequest(RevertUnknown: true)));

        Assert.Contains("revert them with 'manage_migrations.sh downgrade --unknown'", plain.Message);
        Assert.Equal(MigrationErrorKind.Refused, asked.Kind);
        Assert.Contains($"{FeatureBranch.Version} (add feature notes) cannot be reverted without its code", asked.Message);
        Assert.Contains("Check out the branch that has it", asked.Message);
        Assert.True(await database.TableExistsAsync(FeatureBranch.Table));
        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task Downgrade_unknown_from_the_command_line_backs_up_then_reverts_and_status_says_so_before()
    {
        await using var database = await OnTheFeatureBranchAsync(FeatureBranch.Scriptable);
        var cli = CliRunner.For(database);

        var status = await cli.RunAsync("status", "--json");
        Assert.Equal(4, status.ExitCode);
        var unknown = Assert.Single(status.Json.GetProperty("unknown").EnumerateArray());
        Assert.True(unknown.GetProperty("revertible").GetBoolean());
        Assert.Contains("(revertible without its code)", (await cli.RunAsync("status")).Out);

        var revert = await cli.RunAsync("downgrade", "--unknown", "--json");

        Assert.Equal(0, revert.ExitCode);
        Assert.Equal(FeatureBranch.Version, Assert.Single(revert.Json.GetProperty("revertedUnknown").EnumerateArray()).GetProperty("version").GetInt64());
        Assert.Empty(revert.Json.GetProperty("migrations").EnumerateArray());
        Assert.NotNull(revert.Json.GetProperty("backup").GetString());
        Assert.Equal(Head, revert.Json.GetProperty("toVersion").GetInt64());
        Assert.False(await database.TableExistsAsync(FeatureBranch.Table));
        Assert.Equal(0, (await cli.RunAsync("status")).ExitCode);
        Assert.Contains("Nothing to revert", (await cli.RunAsync("downgrade", "--unknown")).Out);
    }

    [Fact]
    public async Task Downgrade_to_a_target_below_unknown_migrations_reverts_them_first_then_the_known_ones()
    {
        await using var database = await OnTheFeatureBranchAsync(FeatureBranch.Scriptable);

        var downgrade = await CliRunner.For(database).RunAsync("downgrade", "--target", "20261124110000", "--json");

        Assert.Equal(0, downgrade.ExitCode);
        Assert.Equal([FeatureBranch.Version], downgrade.Json.GetProperty("revertedUnknown").EnumerateArray().Select(m => m.GetProperty("version").GetInt64()));
        Assert.Equal([Head], downgrade.Json.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("version").GetInt64()));
        Assert.Equal(20261124110000, downgrade.Json.GetProperty("toVersion").GetInt64());
    }
}
