using Superset.Tests.Cli;
using Superset.Tests.Shared;

namespace Superset.Tests.Deployment;

/// <summary>
/// The worker as a deployment runs it: its own process, no AppHost, nothing but a connection string. Replicas and
/// re-deployments start it more than once, at once.
/// </summary>
[Trait("Category", "Db")]
public sealed class WorkerAloneTests
{
    [Fact]
    public async Task Two_workers_started_together_with_only_a_connection_string_both_exit_0_and_apply_each_migration_once()
    {
        // Data worth a backup (an empty database is migrated without one).
        await using var database = await TestDatabases.NewAsync();
        await database.ExecuteAsync("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('keep me')");
        var workingDirectory = TestPaths.NewTempDirectory("worker-alone");

        var runs = await Task.WhenAll(RunWorkerAsync(database, workingDirectory), RunWorkerAsync(database, workingDirectory));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(DISTINCT version) FROM migrations.history"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM migrations.events WHERE action = 'upgrade'"));

        // One of them applied the three (after a backup, taken by the one that applied); the other found nothing to do.
        Assert.Single(runs, run => run.Output.Contains("No pending migrations", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(workingDirectory, "backups"), "*.dump"));

        // A re-deployment: nothing to do, exit 0.
        var again = await RunWorkerAsync(database, workingDirectory);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("No pending migrations", again.Output);
    }

    [Fact]
    public async Task Outside_development_the_worker_never_reverts_another_branch_migrations_even_when_told_to()
    {
        var database = await TestDatabases.NewMigratedAsync();
        await using (database)
        {
            await using (var connection = await database.OpenAsync())
            {
                await new Superset.Migrations.Engine.MigrationEngine(FeatureBranch.Scriptable).UpgradeAsync(connection, new Superset.Migrations.Engine.UpgradeRequest());
            }

            var cli = new CliRunner(databaseUri: "") { WorkingDirectory = TestPaths.NewTempDirectory("worker-alone") };
            var run = await cli.RunProcessAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings__superset"] = database.ConnectionString,
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Migrations__UnknownMigrations"] = "revert",
            });

            Assert.Equal(4, run.ExitCode);
            Assert.Contains("applies in Development only, not in Production", run.Out + run.Error);
            Assert.True(await database.TableExistsAsync(FeatureBranch.Table));
        }
    }

    /// <summary>
    /// The worker mode (no arguments) in its own process. Nothing of ours but the connection string: the command
    /// line's database variables are removed, and no AppHost or telemetry endpoint is there.
    /// </summary>
    private static async Task<WorkerRun> RunWorkerAsync(TestDatabase database, string workingDirectory)
    {
        var cli = new Superset.Tests.Cli.CliRunner(databaseUri: "") { WorkingDirectory = workingDirectory };
        var result = await cli.RunProcessAsync(new Dictionary<string, string?> { ["ConnectionStrings__superset"] = database.ConnectionString });
        return new WorkerRun(result.ExitCode, result.Out + result.Error);
    }

    private sealed record WorkerRun(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }
}
