using Superset.Migrations.Backup;
using Superset.Migrations.Engine;
using Superset.Tests.Shared;

namespace Superset.Tests.Engine;

/// <summary>What the AppHost decides before starting the backup and migration steps, read from a real database.</summary>
[Trait("Category", "Db")]
public sealed class StartupCheckTests
{
    private readonly MigrationEngine _engine = new(MigrationSource.App);

    [Fact]
    public async Task A_database_at_head_needs_nothing_and_says_at_which_version()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var connection = await database.OpenAsync();
        await _engine.UpgradeAsync(connection, new UpgradeRequest());

        var check = await StartupCheck.RunAsync(_engine, connection);

        Assert.Equal(StartupWork.None, check.Work);
        Assert.Equal("nothing pending: the database is at 20261124120000 (add blog_posts table)", check.Reason);
    }

    [Fact]
    public async Task An_empty_database_is_migrated_without_a_backup()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var connection = await database.OpenAsync();

        var check = await StartupCheck.RunAsync(_engine, connection);

        Assert.Equal(StartupWork.MigrateOnly, check.Work);
        Assert.Equal($"3 migration(s) pending; {DatabaseContents.NothingToBackUp}", check.Reason);
    }

    [Theory]
    [InlineData("CREATE TABLE notes (body text)")]
    [InlineData("CREATE VIEW answer AS SELECT 42 AS value")]
    [InlineData("CREATE SEQUENCE tickets")]
    [InlineData("CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("CREATE TYPE mood AS ENUM ('ok')")]
    [InlineData("CREATE SCHEMA reports; CREATE TABLE reports.daily (day date)")]
    public async Task A_database_with_anything_of_the_application_is_backed_up_first(string sql)
    {
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync(sql);
        await using var connection = await database.OpenAsync();

        Assert.False(await DatabaseContents.IsEmptyAsync(connection));
        Assert.Equal(StartupWork.BackUpThenMigrate, (await StartupCheck.RunAsync(_engine, connection)).Work);
    }

    [Fact]
    public async Task The_engine_own_tables_alone_are_nothing_to_back_up_but_an_applied_migration_is()
    {
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync(MigrationHistory.CreateTablesSql);
        await using var connection = await database.OpenAsync();
        Assert.True(await DatabaseContents.IsEmptyAsync(connection));

        // A stamp records a version without creating anything: the history alone is worth keeping.
        await _engine.StampAsync(connection, 20261124100000);
        Assert.False(await DatabaseContents.IsEmptyAsync(connection));
    }

    [Fact]
    public async Task A_database_with_migrations_this_build_does_not_know_runs_the_worker_which_then_refuses()
    {
        await using var database = await TestDatabases.NewAsync();
        await using var connection = await database.OpenAsync();
        await _engine.UpgradeAsync(connection, new UpgradeRequest());
        await database.ExecuteAsync(
            $"INSERT INTO {MigrationHistory.HistoryTable} (version, description, applied_by) VALUES (20991231000000, 'from another branch', 'test')");

        var check = await StartupCheck.RunAsync(_engine, connection);

        Assert.Equal(StartupWork.BackUpThenMigrate, check.Work);
        Assert.Equal("1 migration(s) unknown to this build", check.Reason);
    }
}
