using Npgsql;
using Superset.Migrations.Backup;

namespace Superset.AppHost.Tests;

/// <summary>No upgrade runs without a backup: the AppHost's backup step comes first, and its failure stops the chain.</summary>
[Trait("Category", "Stack")]
public sealed class BackupStepTests
{
    private const long Before = 20261124110000;

    [Fact]
    public async Task With_a_pending_migration_the_backup_completes_before_the_worker_starts_and_holds_the_pre_upgrade_schema_and_rows()
    {
        var prepared = await PreparedDatabases.OnSharedServerAsync(Before, "INSERT INTO my_new_table (name) SELECT 'row ' || g FROM generate_series(1, 250) g");

        await using var stack = await SupersetStack.StartIsolatedAsync($"--Postgres:TestDatabase={prepared}");
        var backup = await stack.App.WaitForStateAsync("backup", StackResources.Done);
        var worker = await stack.App.WaitForStateAsync("migrations", StackResources.Done);
        await stack.App.WaitForHealthyAsync("web");

        Assert.Equal(0, backup.Snapshot.ExitCode);
        Assert.Equal(0, worker.Snapshot.ExitCode);
        // The worker left "Waiting" only after the backup finished, and the file was complete before the first migration.
        Assert.True(stack.Transitions.First("backup", KnownResourceStates.Finished) < stack.Transitions.First("migrations", KnownResourceStates.Running),
            stack.Transitions.Describe("backup", "migrations"));
        var file = Assert.Single(BackupFile.List(stack.BackupDirectory));
        var firstApplied = await stack.ScalarAsync<DateTime>("SELECT min(applied_at) FROM migrations.history WHERE version > 20261124110000");
        Assert.True(File.GetLastWriteTimeUtc(file.Path) < firstApplied.ToUniversalTime(),
            $"backup written at {File.GetLastWriteTimeUtc(file.Path):O}, first migration applied at {firstApplied.ToUniversalTime():O}");

        Assert.Equal(Before, file.Version);
        var restoredName = $"restored_{Guid.NewGuid():N}"[..20];
        var restored = await new PgDumpBackup(new BackupLocation(stack.BackupDirectory)).RestoreAsync(
            file.Path, new NpgsqlConnectionStringBuilder(stack.Cluster.ConnectionString(restoredName).ConnectionString), intoNewDatabase: true);
        Assert.Equal(Before, restored.Version);

        Assert.Equal(250L, await stack.ScalarAsync<long>("SELECT count(*) FROM my_new_table", restoredName));
        Assert.False(await stack.TableExistsAsync("blog_posts", restoredName));
    }

    [Fact]
    public async Task A_failed_backup_keeps_the_worker_and_the_web_app_from_running_and_the_database_untouched()
    {
        var prepared = await PreparedDatabases.OnSharedServerAsync(Before);
        var blocker = Path.Combine(Superset.Tests.Shared.TestPaths.NewTempDirectory("stack-backups"), "a-file");
        await File.WriteAllTextAsync(blocker, "a file where the backups folder should be");

        await using var stack = await SupersetStack.StartIsolatedAsync($"--Postgres:TestDatabase={prepared}", $"--Backup:Directory={Path.Combine(blocker, "backups")}");
        var backup = await stack.App.WaitForStateAsync("backup", StackResources.Done);
        var worker = await stack.App.WaitForStateAsync("migrations", KnownResourceStates.FailedToStart, KnownResourceStates.Running, KnownResourceStates.Finished);
        var web = await stack.App.WaitForStateAsync("web", KnownResourceStates.FailedToStart, KnownResourceStates.Running);

        Assert.NotEqual(0, backup.Snapshot.ExitCode);
        Assert.Equal(KnownResourceStates.FailedToStart, worker.Snapshot.State?.Text);
        Assert.Equal(KnownResourceStates.FailedToStart, web.Snapshot.State?.Text);
        Assert.Equal(2L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.False(await stack.TableExistsAsync("blog_posts"));
    }
}
