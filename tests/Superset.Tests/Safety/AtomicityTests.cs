using System.Text.RegularExpressions;
using Superset.Tests.Shared;
using FluentMigrator;

namespace Superset.Tests.Safety;

/// <summary>Each migration and its history row commit together or not at all.</summary>
[Trait("Category", "Db")]
public sealed class AtomicityTests
{
    [Fact]
    public async Task A_migration_that_fails_halfway_leaves_no_trace_and_those_before_it_stay_applied()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Fixture.CliFor(database, Fixture.Compile(
            Fixture.CreateTable(1, "kept"),
            Fixture.Migration(2, "half done", "Create.Table(\"half\").WithColumn(\"id\").AsInt32(); Execute.Sql(\"SELECT 1/0\");", "half"),
            Fixture.CreateTable(3, "never")));

        var upgrade = await cli.RunAsync("upgrade");

        Assert.Equal(1, upgrade.ExitCode);
        Assert.Contains("Migration 2 (half done) failed while upgrading: 22012: division by zero", upgrade.Error);
        Assert.True(await database.TableExistsAsync("kept"));
        Assert.False(await database.TableExistsAsync("half"));
        Assert.False(await database.TableExistsAsync("never"));
        await Fixture.AssertAppliedAsync(database, 1L);
        Assert.Equal("22012: division by zero", await database.ScalarAsync<string>("SELECT detail FROM migrations.events WHERE action = 'upgrade-failed' AND version = 2"));
    }

    [Fact]
    public async Task Lock_timeout_makes_a_migration_that_waits_on_a_busy_table_fail_fast_and_change_nothing()
    {
        await using var database = await TestDatabases.NewAsync();
        var assembly = Fixture.Compile(
            Fixture.CreateTable(1, "busy"),
            Fixture.Migration(2, "add column to busy", "Alter.Table(\"busy\").AddColumn(\"x\").AsInt32().Nullable();"));
        var cli = Fixture.CliFor(database, assembly);
        await cli.RunAsync("upgrade", "--target", "1");

        // The application reads the table in a long transaction: ALTER TABLE would queue behind it (and everyone behind ALTER).
        await using var application = await database.OpenAsync();
        await using var transaction = await application.BeginTransactionAsync();
        await using (var read = new Npgsql.NpgsqlCommand("SELECT count(*) FROM busy", application, transaction))
        {
            await read.ExecuteScalarAsync();
        }

        var started = DateTime.UtcNow;
        var upgrade = await cli.RunAsync("upgrade", "--lock-timeout", "0.5", "--lock-retry-budget", "3");

        // Tries of half a second within a budget of three: seconds, not the length of the other transaction.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(12));
        Assert.Equal(1, upgrade.ExitCode);
        // Over the budget by up to the last attempt: 3.x s at rest, 4.x s seen on a loaded machine, and "3 s" when it
        // rounds to a whole second (the message's format is 0.#).
        Assert.True(Regex.IsMatch(upgrade.Error, @"Migration 2 \(add column to busy\) could not get a lock in \d+ attempt\(s\) of 0\.5 s over [3-9](\.\d)? s"),
            upgrade.ToString());
        Assert.Contains("waited 0.5 s for a lock another session holds (attempt 1), and was rolled back; trying again in", upgrade.Error);
        await transaction.RollbackAsync();
        await Fixture.AssertAppliedAsync(database, 1L);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'x'"));
    }

    [Fact]
    public async Task Statement_timeout_stops_a_migration_that_runs_too_long()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Fixture.CliFor(database, Fixture.Compile(
            Fixture.Migration(1, "slow", "Create.Table(\"slow\").WithColumn(\"id\").AsInt32(); Execute.Sql(\"SELECT pg_sleep(30)\");", "slow")));

        var started = DateTime.UtcNow;
        var upgrade = await cli.RunAsync("upgrade", "--statement-timeout", "1");

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal(1, upgrade.ExitCode);
        Assert.Contains("57014: canceling statement due to statement timeout", upgrade.Error);
        Assert.False(await database.TableExistsAsync("slow"));
    }

    [Fact]
    public async Task A_migration_may_opt_out_of_the_transaction_for_create_index_concurrently_and_history_shows_it()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Fixture.CliFor(database, Fixture.Compile(
            Fixture.CreateTable(1, "big"),
            Fixture.Migration(2, "index big concurrently", "Execute.Sql(\"CREATE INDEX CONCURRENTLY ix_big_id ON big (id)\");",
                attribute: $"{nameof(TransactionBehavior)}.{nameof(TransactionBehavior.None)}")
                .Replace("public override void Down() {  }", "public override void Down() { Execute.Sql(\"DROP INDEX CONCURRENTLY ix_big_id\"); }")));

        Assert.Equal(0, (await cli.RunAsync("upgrade")).ExitCode);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_big_id'"));
        Assert.False(await database.ScalarAsync<bool>("SELECT transactional FROM migrations.history WHERE version = 2"));
        Assert.Contains("[no transaction]", (await cli.RunAsync("history")).Out);

        Assert.Equal(0, (await cli.RunAsync("downgrade")).ExitCode);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_big_id'"));
    }
}
