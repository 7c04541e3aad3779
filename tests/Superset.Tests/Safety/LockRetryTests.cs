using System.Diagnostics;
using Npgsql;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Safety;

/// <summary>
/// A migration that waits for a lock makes every query of the app on that table queue behind it. With the defaults
/// (a lock_timeout of 0.2 s per attempt, retried with growing pauses) the app keeps answering while a long transaction
/// holds the table, and the migration goes through as soon as that transaction ends.
/// </summary>
[Trait("Category", "Db")]
public sealed class LockRetryTests
{
    [Fact]
    public async Task A_migration_behind_a_long_transaction_succeeds_once_it_ends_and_the_apps_queries_never_wait_half_a_second()
    {
        await using var database = await TestDatabases.NewAsync();
        var cli = Fixture.CliFor(database, Fixture.Compile(
            Fixture.CreateTable(1, "busy"),
            Fixture.Migration(2, "add column to busy", "Alter.Table(\"busy\").AddColumn(\"x\").AsInt32().Nullable();")));
        Assert.Equal(0, (await cli.RunAsync("upgrade", "--target", "1", "--no-backup")).ExitCode);
        await database.ExecuteAsync("INSERT INTO busy (id) SELECT g FROM generate_series(1, 10000) g");

        // A report reads the table in a transaction that lasts 4 s.
        await using var report = await database.OpenAsync();
        var reading = new NpgsqlCommand("BEGIN; SELECT count(*) FROM busy; SELECT pg_sleep(4); COMMIT", report).ExecuteNonQueryAsync();
        await Task.Delay(200);

        // The app queries the table every 50 ms meanwhile, giving up on any lock after half a second.
        using var stop = new CancellationTokenSource();
        var app = QueryEvery50MsAsync(database, stop.Token);
        var clock = Stopwatch.StartNew();
        var upgrade = await cli.RunAsync("upgrade", "--no-backup");
        var waited = clock.Elapsed;
        await stop.CancelAsync();
        var queries = await app;
        await reading;

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Contains("(attempt 1), and was rolled back", upgrade.Error);
        Assert.True(waited > TimeSpan.FromSeconds(3), $"the migration did not wait for the report ({waited.TotalSeconds:0.0} s)");
        await Fixture.AssertAppliedAsync(database, 1, 2);
        Assert.True(queries.Count > 20, $"only {queries.Count} queries ran");
        Assert.True(queries.All(query => query.WaitedForLock == false),
            $"{queries.Count(query => query.WaitedForLock)} of the app's {queries.Count} queries waited half a second for a lock " +
            $"(slowest {queries.Max(query => query.Elapsed).TotalSeconds:0.000} s)");
    }

    /// <summary>One of the app's queries: how long it took, and whether it gave up waiting half a second for a lock.</summary>
    private sealed record AppQuery(TimeSpan Elapsed, bool WaitedForLock);

    /// <summary>
    /// The app's session gives up on a lock after half a second (lock_timeout), so that a query that waited that long
    /// is told apart from one that was only slow: on a loaded machine the wall-clock time of a query also counts the
    /// time it waited for a core, and a bound on it failed without any lock involved.
    /// </summary>
    private static async Task<List<AppQuery>> QueryEvery50MsAsync(TestDatabase database, CancellationToken stop)
    {
        var queries = new List<AppQuery>();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using (var setting = new NpgsqlCommand("SET lock_timeout = '500ms'", connection))
        {
            await setting.ExecuteNonQueryAsync(CancellationToken.None);
        }

        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            var waitedForLock = false;
            await using (var query = new NpgsqlCommand("SELECT id FROM busy WHERE id = 1", connection))
            {
                try
                {
                    await query.ExecuteScalarAsync(CancellationToken.None);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    waitedForLock = true;
                }
            }

            queries.Add(new AppQuery(clock.Elapsed, waitedForLock));
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return queries;
    }
}
