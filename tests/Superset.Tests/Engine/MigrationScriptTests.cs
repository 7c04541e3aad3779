using FluentMigrator;
using Superset.Migrations.Engine;

namespace Superset.Tests.Engine;

/// <summary>What --sql prints and what a run sends, scripted from the migration classes alone: no database.</summary>
[Trait("Category", "Unit")]
public sealed class MigrationScriptTests
{
    private const long First = 20261124100000, Head = 20261124120000;

    private static MigrationPlan Plan(params long[] applied) =>
        MigrationPlan.Create(MigrationSource.App, applied.Select((version, order) =>
            new AppliedMigration(version, "applied", null, DateTimeOffset.UnixEpoch, 0, "tests", true, "upgrade", order + 1)).ToArray());

    [Fact]
    public async Task An_upgrade_script_creates_the_version_table_then_each_migration_in_its_own_transaction_with_its_history_row()
    {
        var sql = await new MigrationEngine(MigrationSource.App).Scripts.UpgradeAsync(Plan(), new UpgradeRequest());

        var order = new[]
        {
            "CREATE TABLE IF NOT EXISTS migrations.history",
            "-- 20261124100000: create user_preferences table (up)",
            "BEGIN;",
            "SET LOCAL synchronous_commit = off;",
            "CREATE TABLE \"public\".\"user_preferences\"",
            "INSERT INTO migrations.history (version, description, checksum",
            "COMMIT;",
            "-- 20261124120000: add blog_posts table (up)",
            "INSERT INTO migrations.events (action, version, detail, actor) VALUES ('upgrade', 20261124120000, '3 migration(s) from a --sql script'",
        };
        var positions = order.Select(text => sql.IndexOf(text, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0, sql));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task A_downgrade_script_drops_what_the_migration_made_and_deletes_its_history_row()
    {
        var sql = await new MigrationEngine(MigrationSource.App).Scripts.DowngradeAsync(Plan(First), new DowngradeRequest());

        Assert.Contains("-- 20261124100000: create user_preferences table (down)", sql);
        Assert.Contains("DROP TABLE \"public\".\"user_preferences\";", sql);
        Assert.Contains("DELETE FROM migrations.history WHERE version = 20261124100000;", sql);
        Assert.DoesNotContain("CREATE TABLE", sql);
    }

    [Fact]
    public async Task Timeouts_asked_for_are_set_for_each_migration()
    {
        var engine = new MigrationEngine(MigrationSource.App, new MigrationEngineOptions
        {
            LockTimeout = TimeSpan.FromSeconds(5),
            StatementTimeout = TimeSpan.FromSeconds(2.5),
        });

        var sql = await engine.Scripts.UpgradeAsync(Plan(), new UpgradeRequest(Target: First));

        Assert.Contains("SET LOCAL lock_timeout = 5000;", sql);
        Assert.Contains("SET LOCAL statement_timeout = 2500;", sql);
    }

    [Fact]
    public void The_checksum_of_a_migration_is_the_same_every_time_and_differs_between_migrations()
    {
        var scripter = new MigrationScripter();
        var first = MigrationSource.App.Find(First)!;

        Assert.Equal(scripter.TryChecksum(first), scripter.TryChecksum(first));
        Assert.Equal(64, scripter.TryChecksum(first)!.Length);
        Assert.NotEqual(scripter.TryChecksum(first), scripter.TryChecksum(MigrationSource.App.Find(Head)!));
    }

    [Fact]
    public void Bookends_put_the_history_row_last_and_name_the_run()
    {
        var scripter = new MigrationScripter();
        var script = scripter.Script(MigrationSource.App.Find(First)!, MigrationDirection.Up);

        var steps = new MigrationBookends(new MigrationEngineOptions { Actor = "me" }, scripter).Around(script, new MigrationRun(RunKind.Merge)).All.ToList();

        var last = Assert.IsType<ScriptStep.Sql>(steps[^1]).Statement;
        Assert.StartsWith("INSERT INTO migrations.history", last);
        Assert.Contains("'me', true, 'merge', 'DROP TABLE \"public\".\"user_preferences\"', NULL)", last);
        Assert.Equal("SET LOCAL synchronous_commit = off", Assert.IsType<ScriptStep.Sql>(steps[0]).Statement);
    }

    [Fact]
    public void Run_kinds_have_the_names_the_history_records()
    {
        Assert.Equal(["upgrade", "merge", "downgrade"], new[] { RunKind.Upgrade, RunKind.Merge, RunKind.Downgrade }.Select(k => k.Name()));
        Assert.Equal(MigrationDirection.Down, RunKind.Downgrade.Direction());
        Assert.Equal(MigrationDirection.Up, RunKind.Merge.Direction());
    }
}
