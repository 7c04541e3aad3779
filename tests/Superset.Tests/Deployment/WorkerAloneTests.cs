using System.Diagnostics;
using Superset.Tests.Shared;

namespace Superset.Tests.Deployment;

/// <summary>
/// The worker as a deployment runs it: its own process, no AppHost, nothing but a connection string. Replicas and
/// re-deployments start it more than once, at once.
/// </summary>
public sealed class WorkerAloneTests
{
    [Fact]
    public async Task Two_workers_started_together_with_only_a_connection_string_both_exit_0_and_apply_each_migration_once()
    {
        await using var database = await (await TestPostgresServer.GetAsync()).CreateDatabaseAsync();
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

    private sealed record WorkerRun(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    private static async Task<WorkerRun> RunWorkerAsync(TestDatabase database, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Superset.MigrationWorker.dll"));

        // Nothing of ours but the connection string: no AppHost, no telemetry endpoint, no other way to the database.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("SUPERSET", StringComparison.OrdinalIgnoreCase)
                     || k.Contains("SQLALCHEMY", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OTEL_", StringComparison.Ordinal)
                     || k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Migrations", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["ConnectionStrings__superset"] = database.ConnectionString;

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new WorkerRun(process.ExitCode, await output + await error);
    }
}
