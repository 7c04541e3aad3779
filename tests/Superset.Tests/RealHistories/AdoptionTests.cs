using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.RealHistories;

/// <summary>
/// A database another runner migrated: FluentMigrator's own runner (its VersionInfo), or Flask-Migrate (alembic_version).
/// Nothing runs on it until 'adopt' has compared its schema with what the code's migrations produce and recorded them.
/// </summary>
[Trait("Category", "Db")]
public sealed class AdoptionTests
{
    private static string History(bool withThird = false, bool maintenance = true) => Corpus.Compile([
        .. maintenance ? new[] { Corpus.Maintenance() } : [],
        Corpus.CreateAccounts(1),
        Corpus.AutoReversing(2),
        Corpus.Irreversible(3, "not-implemented"),
        .. withThird ? new[] { Corpus.Plain(4, "after adoption", "Delete.Table(\"plain_4\");") } : [],
    ]);

    [Fact]
    public async Task A_database_FluentMigrators_runner_migrated_is_refused_until_adopted_then_adopted_as_it_is()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = History();
        StockRunner.MigrateUp(database, assembly);
        var versionInfo = await database.ScalarAsync<long>("SELECT count(*) FROM \"VersionInfo\"");
        var cli = CliRunner.For(database, assembly);

        var status = await cli.RunAsync("status");
        var upgrade = await cli.RunAsync("upgrade");
        Assert.Equal(4, status.ExitCode);
        Assert.Contains("migrated by FluentMigrator's runner", status.Out);
        Assert.Contains("'manage_migrations.sh adopt'", status.Out);
        Assert.Equal(4, upgrade.ExitCode);
        Assert.Contains("'manage_migrations.sh adopt'", upgrade.Error);
        Assert.Equal(0L, await HistoryRowsAsync(database));

        var adopt = await cli.RunAsync("adopt");

        Assert.True(adopt.ExitCode == 0, adopt.ToString());
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history WHERE applied_via = 'adopt'"));
        Assert.True(await database.ScalarAsync<bool>(
            "SELECT bool_and(h.applied_at = v.\"AppliedOn\" AT TIME ZONE 'UTC') FROM migrations.history h JOIN \"VersionInfo\" v ON v.\"Version\" = h.version"));
        Assert.StartsWith("its Down() throws NotImplementedException", await database.ScalarAsync<string>("SELECT irreversible FROM migrations.history WHERE version = 3"));
        Assert.Equal(versionInfo, await database.ScalarAsync<long>("SELECT count(*) FROM \"VersionInfo\""));
        Assert.Equal(0, (await cli.RunAsync("status")).ExitCode);

        // From then on, a new migration applies, and FluentMigrator's table follows.
        var next = await CliRunner.For(database, History(withThird: true)).RunAsync("upgrade");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM \"VersionInfo\" WHERE \"Version\" = 4"));
    }

    [Fact]
    public async Task A_hand_changed_column_is_listed_and_nothing_is_written()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = History();
        StockRunner.MigrateUp(database, assembly);
        await database.ExecuteAsync("ALTER TABLE accounts ALTER COLUMN name TYPE varchar(300)");

        var adopt = await CliRunner.For(database, assembly).RunAsync("adopt");

        Assert.Equal(4, adopt.ExitCode);
        Assert.Contains("Not adopted, nothing was written", adopt.Error);
        Assert.Contains("column accounts.name is varchar(300) NOT NULL, but migrations make it varchar(100) NOT NULL", adopt.Error);
        Assert.Equal(0L, await HistoryRowsAsync(database));
    }

    [Fact]
    public async Task A_database_of_the_Flask_Migrate_era_is_adopted_at_the_baseline_given()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = History(maintenance: false);
        var cli = CliRunner.For(database, assembly);
        // What Flask-Migrate left: the schema of the first two migrations, and Alembic's revision.
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "2")).ExitCode);
        await database.ExecuteAsync(
            "DROP SCHEMA migrations CASCADE; " +
            "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('4e1f3c2a9b7d')");

        var status = await cli.RunAsync("status");
        var without = await cli.RunAsync("adopt");
        var wrong = await cli.RunAsync("adopt", "--baseline", "3");
        var adopt = await cli.RunAsync("adopt", "--baseline", "2");

        Assert.Equal(4, status.ExitCode);
        Assert.Contains("Flask-Migrate/Alembic (public.alembic_version at revision 4e1f3c2a9b7d)", status.Out);
        Assert.Contains("adopt --baseline VERSION", status.Out);
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("'adopt --baseline VERSION'", without.Error);
        Assert.Equal(4, wrong.ExitCode);
        Assert.Contains("table plain_3 is missing, but a migration creates it", wrong.Error);
        Assert.True(adopt.ExitCode == 0, adopt.ToString());
        Assert.Equal(new long[] { 1, 2 }, await Superset.Tests.Shared.History.AppliedVersionsAsync(await database.OpenAsync()));
        Assert.Equal("4e1f3c2a9b7d", await database.ScalarAsync<string>("SELECT version_num FROM alembic_version"));
        Assert.Equal(3, (await cli.RunAsync("status")).ExitCode);
    }

    /// <summary>The engine's history rows; none when it has not even created its table.</summary>
    private static async Task<long> HistoryRowsAsync(TestDatabase database) =>
        await database.ScalarAsync<bool>("SELECT to_regclass('migrations.history') IS NULL")
            ? 0
            : await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history");
}
