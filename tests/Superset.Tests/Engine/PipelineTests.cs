using Superset.Migrations.Engine;
using Superset.Tests.Shared;

namespace Superset.Tests.Engine;

/// <summary>
/// Runs of plain-SQL migrations go to the server as pipelines; what must run alone (outside a transaction, or asking
/// the database) runs alone, in its place. The outcome must be exactly that of one migration at a time.
/// </summary>
[Trait("Category", "Db")]
public sealed class PipelineTests
{
    [Fact]
    public async Task A_long_history_with_one_migration_outside_a_transaction_applies_in_order_each_in_its_own_transaction()
    {
        await using var database = await TestDatabases.NewAsync();
        var sources = Enumerable.Range(1, 230).Select(i => i == 150
            ? """
              using FluentMigrator;
              namespace Fixture;
              [Migration(150, TransactionBehavior.None, "index concurrently")]
              public sealed class M150 : Migration
              {
                  public override void Up() => Execute.Sql("CREATE INDEX CONCURRENTLY ix_t1 ON t1 (id)");
                  public override void Down() => Execute.Sql("DROP INDEX CONCURRENTLY ix_t1");
              }
              """
            : MigrationSources.CreateTable(i, $"t{i}"));
        var engine = new MigrationEngine(MigrationSource.FromAssembly(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("pipeline"), sources)));
        await using var connection = await database.OpenAsync();

        var result = await engine.UpgradeAsync(connection, new UpgradeRequest());

        Assert.Equal(Enumerable.Range(1, 230).Select(i => (long)i), result.Migrations.Select(m => m.Migration.Version));
        Assert.Equal(229L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.True(await database.TableExistsAsync("ix_t1"));
        // Applied in order, each with its own commit: the history's order is the versions' order, and every row was
        // written by a transaction of its own (xmin).
        Assert.True(await database.ScalarAsync<bool>(
            "SELECT bool_and(version = rn) FROM (SELECT version, row_number() OVER (ORDER BY applied_order) AS rn FROM migrations.history) h"));
        Assert.False(await database.ScalarAsync<bool>("SELECT transactional FROM migrations.history WHERE version = 150"));
        Assert.Equal(230L, await database.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM migrations.history"));

        var down = await engine.DowngradeAsync(connection, new DowngradeRequest(Steps: 230));
        Assert.Equal(230, down.Migrations.Count);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
    }

    [Fact]
    public async Task A_failure_in_the_middle_of_a_pipeline_keeps_those_before_it_and_runs_nothing_after_it()
    {
        await using var database = await TestDatabases.NewAsync();
        var sources = Enumerable.Range(1, 6).Select(i => i == 4
            ? """
              using FluentMigrator;
              namespace Fixture;
              [Migration(4, "half done")]
              public sealed class M4 : Migration
              {
                  public override void Up() { Create.Table("t4").WithColumn("id").AsInt32(); Execute.Sql("SELECT 1/0"); }
                  public override void Down() => Delete.Table("t4");
              }
              """
            : MigrationSources.CreateTable(i, $"t{i}"));
        var engine = new MigrationEngine(MigrationSource.FromAssembly(MigrationCompiler.CompileAndLoad(TestPaths.NewTempDirectory("pipeline"), sources)));
        await using var connection = await database.OpenAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => engine.UpgradeAsync(connection, new UpgradeRequest()));

        Assert.Equal("Migration 4 (half done) failed while upgrading: 22012: division by zero", failure.Message);
        Assert.Equal([1L, 2L, 3L], (await engine.PlanAsync(connection)).Applied.Select(a => a.Version));
        foreach (var (table, exists) in new[] { ("t3", true), ("t4", false), ("t5", false), ("t6", false) })
        {
            Assert.Equal(exists, await database.TableExistsAsync(table));
        }

        // The connection is usable again, and no transaction is left open on it.
        Assert.Equal(3, (await engine.PlanAsync(connection)).Applied.Count);
        Assert.Equal(0L, await database.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.Name}' AND state LIKE 'idle in transaction%'"));
    }
}
