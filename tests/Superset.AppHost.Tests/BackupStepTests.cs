using Npgsql;
using Superset.Migrations.Backup;
using Superset.Tests.Shared;

namespace Superset.AppHost.Tests;

/// <summary>No upgrade runs without a backup: the AppHost's backup step comes first, and its failure stops the chain.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Stack")]
public sealed class BackupStepTests
{
    private const long Before = 20261124110000;
    private static readonly string[] Finished = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    [Fact]
    public async Task With_a_pending_migration_the_backup_completes_before_the_worker_starts_and_holds_the_pre_upgrade_schema_and_rows()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        var backups = TestPaths.NewTempDirectory("stack-backups");
        var port = TestPaths.FreePort();
        await SupersetStack.PrepareDatabaseAsync(stateDirectory, port, Before,
            "INSERT INTO my_new_table (name) SELECT 'row ' || g FROM generate_series(1, 250) g");

        await using var stack = await SupersetStack.StartAsync(stateDirectory, port, $"--Backup:Directory={backups}");
        var backup = await stack.WaitForStateAsync("backup", Finished);
        var worker = await stack.WaitForStateAsync("migrations", Finished);
        await stack.WaitForHealthyAsync("web");

        Assert.Equal(0, backup.Snapshot.ExitCode);
        Assert.Equal(0, worker.Snapshot.ExitCode);
        // The worker left "Waiting" only after the backup finished, and the file was complete before the first migration.
        Assert.True(stack.FirstTransition("backup", KnownResourceStates.Finished) < stack.FirstTransition("migrations", KnownResourceStates.Running),
            string.Join(" → ", stack.Transitions.Where(t => t.Resource is "backup" or "migrations").Select(t => $"{t.Resource}:{t.State}")));
        var file = Assert.Single(BackupFile.List(backups));
        var firstApplied = await stack.ScalarAsync<DateTime>("SELECT min(applied_at) FROM migrations.history WHERE version > 20261124110000");
        Assert.True(File.GetLastWriteTimeUtc(file.Path) < firstApplied.ToUniversalTime(),
            $"backup written at {File.GetLastWriteTimeUtc(file.Path):O}, first migration applied at {firstApplied.ToUniversalTime():O}");

        Assert.Equal(Before, file.Version);
        var restoredName = $"restored_{Guid.NewGuid():N}"[..20];
        var restored = await new PgDumpBackup(new BackupLocation(backups)).RestoreAsync(
            file.Path, new NpgsqlConnectionStringBuilder(stack.Cluster.ConnectionString(restoredName).ConnectionString), intoNewDatabase: true);
        Assert.Equal(Before, restored.Version);

        var restoredConnection = stack.Cluster.ConnectionString(restoredName);
        restoredConnection.Pooling = false;
        await using var connection = new NpgsqlConnection(restoredConnection.ConnectionString);
        await connection.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT count(*) FROM my_new_table", connection);
        Assert.Equal(250L, (long)(await rows.ExecuteScalarAsync())!);
        await using var blogPosts = new NpgsqlCommand("SELECT to_regclass('public.blog_posts') IS NULL", connection);
        Assert.True((bool)(await blogPosts.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_failed_backup_keeps_the_worker_and_the_web_app_from_running_and_the_database_untouched()
    {
        var stateDirectory = TestPaths.NewTempDirectory("stack");
        var port = TestPaths.FreePort();
        await SupersetStack.PrepareDatabaseAsync(stateDirectory, port, Before);
        var blocker = Path.Combine(TestPaths.NewTempDirectory("stack-backups"), "a-file");
        await File.WriteAllTextAsync(blocker, "a file where the backups folder should be");

        await using var stack = await SupersetStack.StartAsync(stateDirectory, port, $"--Backup:Directory={Path.Combine(blocker, "backups")}");
        var backup = await stack.WaitForStateAsync("backup", Finished);
        var worker = await stack.WaitForStateAsync("migrations", KnownResourceStates.FailedToStart, KnownResourceStates.Running, KnownResourceStates.Finished);
        var web = await stack.WaitForStateAsync("web", KnownResourceStates.FailedToStart, KnownResourceStates.Running);

        Assert.NotEqual(0, backup.Snapshot.ExitCode);
        Assert.Equal(KnownResourceStates.FailedToStart, worker.Snapshot.State?.Text);
        Assert.Equal(KnownResourceStates.FailedToStart, web.Snapshot.State?.Text);
        Assert.Equal(2L, await stack.ScalarAsync<long>("SELECT count(*) FROM migrations.history"));
        Assert.False(await stack.TableExistsAsync("blog_posts"));
    }
}
