using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// The AppHost's backup step: runs after PostgreSQL is healthy and before the migration worker, which waits for it
/// to complete. Takes a verified backup when migrations are pending, and says so when there is nothing to back up
/// for. A failure stops the chain: the migration worker does not run, and neither does the web app.
/// </summary>
internal sealed partial class BackupWorker(
    WorkerDatabase database,
    MigrationEngine engine,
    PgDumpBackup backups,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<BackupWorker> logger) : RunOnceWorker(environment, lifetime, logger)
{
    protected override string Name => "backup worker";

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var plan = await engine.PlanAsync(connection, cancellationToken);
        // Pending migrations to apply, or another branch's to revert: either changes the schema.
        if (plan.Pending.Count == 0 && plan.Unknown.Count == 0)
        {
            LogSkipped(plan.Current?.Version.ToString() ?? "empty");
            return;
        }

        if (await DatabaseContents.IsEmptyAsync(connection, cancellationToken))
        {
            LogEmpty(plan.Pending.Count, DatabaseContents.NothingToBackUp);
            return;
        }

        LogTaking(plan.Pending.Count, backups.Settings.Directory);
        var backup = await backups.TakeAsync(database.ConnectionString, plan.Current?.Version, cancellationToken);
        LogTaken(backup.Path, backup.Size, backup.Version?.ToString() ?? "none");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing pending (the database is at {Version}): no backup needed before upgrading")]
    private partial void LogSkipped(string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} migration(s) pending, but no backup: {Reason}")]
    private partial void LogEmpty(int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} migration(s) pending: taking a backup into {Directory}")]
    private partial void LogTaking(int count, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup taken and verified: {Path} ({Size} bytes, schema version {Version})")]
    private partial void LogTaken(string path, long size, string version);
}
