using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>
/// A user's own AppHost tests, written the plainest way (no arguments) and run as processes of their own on a checkout
/// of the test's: each gets a database of its own on the checkout's server, never the developer's; no server outlives
/// the test process unless it ran before it; and a run killed half-way leaves nothing that trips the next.
/// </summary>
[Trait("Category", "Stack")]
public sealed class PlainTestIsolationTests
{
    private const string Marker = "a post of the developer";

    [Fact]
    public async Task Plain_tests_never_see_or_touch_the_developers_database_and_leave_no_server_they_started_even_after_a_killed_run()
    {
        // A checkout whose development database is at head, with a row of the developer's; its server is not running.
        var checkout = TestPaths.NewTempDirectory("checkout");
        await PreparedDatabases.OnOwnServerAsync(checkout, TestPaths.FreePort(), version: 20261124120000,
            $"INSERT INTO blog_posts (title, content) VALUES ('{Marker}', 'kept')");
        var cluster = LocalPostgresCluster.TryOpenExisting(checkout, PostgresBinaries.Find()!)!;
        var before = await DeveloperDatabaseAsync(cluster, running: false);

        // A test run killed half-way (SIGKILL: no exit handler runs) leaves its database and the server it started.
        var leftover = await PlainTestProgram.KillOnceItsDatabaseExistsAsync(checkout);
        Assert.Contains(leftover, await IsolatedDatabaseNames.OnAsync(cluster));
        Assert.NotNull(cluster.Status().Pid);

        // The next run is not tripped: it drops the leftover, never sees the developer's row, and stops the server
        // (a test run started it) when it exits.
        var first = await PlainTestProgram.RunAsync(checkout);

        Assert.StartsWith("superset_test_", first.Database);
        Assert.Equal(20261124120000L, first.Saw.GetProperty("version").GetInt64());
        Assert.DoesNotContain(Marker, first.Posts);
        Assert.Contains($"Dropping {leftover}, left by a test run that is gone", first.Result.StandardOutput);
        Assert.Contains("stops when the test process exits", first.Result.StandardOutput);
        Assert.Empty(await ServerProcesses.WaitUntilNoneAsync(cluster.DataDirectory, TimeSpan.FromSeconds(15)));

        // The developer's server runs now (their F5, say): the next plain test uses it and leaves it running.
        var running = await cluster.EnsureRunningAsync("the developer");
        try
        {
            var second = await PlainTestProgram.RunAsync(checkout);

            Assert.StartsWith("superset_test_", second.Database);
            Assert.NotEqual(first.Database, second.Database);
            Assert.Contains("keeps running after the tests", second.Result.StandardOutput);
            Assert.Equal(running.Pid, cluster.Status().Pid);

            // The developer's rows, history and events are as they were, and no test database is left.
            Assert.Equal(before, await DeveloperDatabaseAsync(cluster, running: true));
            Assert.Equal(["superset_test_template"], await IsolatedDatabaseNames.OnAsync(cluster));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    /// <summary>The developer's database as a test must leave it: its blog posts, its history and its events.</summary>
    private static async Task<string> DeveloperDatabaseAsync(LocalPostgresCluster cluster, bool running)
    {
        if (!running)
        {
            await cluster.EnsureRunningAsync("tests");
        }

        try
        {
            var connectionString = cluster.ConnectionString(LocalDevelopmentDatabase.DatabaseName);
            connectionString.Pooling = false;
            await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT (SELECT string_agg(title || '/' || content, ',' ORDER BY id) FROM blog_posts)
                    || ' | ' || (SELECT string_agg(version::text, ',' ORDER BY version) FROM migrations.history)
                    || ' | ' || (SELECT count(*) FROM migrations.events)
                """, connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            if (!running)
            {
                await cluster.StopAsync();
            }
        }
    }
}
