using System.Diagnostics;
using Npgsql;
using Superset.Migrations.LocalServer;
using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Deployment;

/// <summary>
/// Under Compose or Kubernetes nothing starts the worker and the backup step only once PostgreSQL is ready: they wait
/// for a server that refuses connections or is starting (within Migrations:StartupWait), and fail at once on what
/// waiting cannot fix, a wrong password or a missing database.
/// </summary>
[Trait("Category", "Db")]
public sealed class StartupWaitTests
{
    [Fact]
    public async Task The_worker_and_the_backup_step_started_3_s_before_their_server_wait_for_it_and_succeed()
    {
        var state = TestPaths.NewTempDirectory("late-server");
        var cluster = await LocalPostgresCluster.OpenAsync(state, PostgresBinaries.Find()!, TestPaths.FreePort());
        await cluster.EnsureRunningAsync("tests");
        try
        {
            await cluster.EnsureDatabaseAsync("late");
            var connectionString = cluster.ConnectionString("late").ConnectionString;
            await cluster.StopAsync();

            var cli = new CliRunner(databaseUri: "") { WorkingDirectory = TestPaths.NewTempDirectory("late-worker") };
            var clock = Stopwatch.StartNew();
            var migrate = cli.RunProcessAsync(new Dictionary<string, string?> { ["ConnectionStrings__superset"] = connectionString });
            var backup = cli.RunProcessAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings__superset"] = connectionString,
                ["Worker__Task"] = "Backup",
                ["Backup__Directory"] = TestPaths.NewTempDirectory("late-backups"),
            });
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(migrate.IsCompleted || backup.IsCompleted, "a worker gave up before its server started");
            await cluster.EnsureRunningAsync("tests");

            var (migrated, backedUp) = (await migrate, await backup);
            Assert.True(migrated.ExitCode == 0, migrated.ToString());
            Assert.True(backedUp.ExitCode == 0, backedUp.ToString());
            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(3));
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            var applied = await History.AppliedVersionsAsync(connection);
            Assert.Equal([20261124100000L, 20261124110000L, 20261124120000L], applied);
        }
        finally
        {
            await cluster.StopAsync(immediate: true);
        }
    }

    [Theory]
    [InlineData("wrong password", "password authentication failed")]
    [InlineData("missing database", "does not exist")]
    public async Task What_waiting_cannot_fix_fails_at_once_in_one_line(string what, string said)
    {
        await using var database = await TestDatabases.NewAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        if (what == "wrong password")
        {
            connectionString.Password = "not-the-password";
        }
        else
        {
            connectionString.Database = "no_such_database";
        }

        var cli = new CliRunner(databaseUri: "") { WorkingDirectory = TestPaths.NewTempDirectory("worker-alone") };
        var clock = Stopwatch.StartNew();
        var run = await cli.RunProcessAsync(new Dictionary<string, string?> { ["ConnectionStrings__superset"] = connectionString.ConnectionString });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(said, run.Out + run.Error);
        Assert.DoesNotContain("not-the-password", run.Out + run.Error);
        // Migrations:StartupWait is 60 s: a worker that waited would take that long.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{what} took {clock.Elapsed.TotalSeconds:0} s to fail: {run}");
    }
}
