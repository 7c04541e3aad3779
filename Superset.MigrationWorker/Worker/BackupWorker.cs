using Microsoft.Extensions.Options;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// The AppHost's backup step: runs after PostgreSQL is healthy and before the migration worker, which waits for it to
/// complete. The AppHost starts it only when migrations will change something in a database that holds something (it
/// decides, once, before either step starts); this takes the verified backup and hands its path to the migration worker.
/// A failure stops the chain: the migration worker does not run, and neither does the web app.
/// </summary>
internal sealed partial class BackupWorker(
    WorkerDatabase database,
    MigrationEngine engine,
    PgDumpBackup backups,
    IOptions<WorkerSettings> worker,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<BackupWorker> logger) : RunOnceWorker(environment, lifetime, logger)
{
    protected override string Name => "backup worker";

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        BackupHandover.Clear(worker.Value.BackupHandover);
        long? version;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // For the backup's name: the schema version it holds.
            version = (await engine.PlanAsync(connection, cancellationToken)).Current?.Version;
        }

        LogTaking(backups.Settings.Directory);
        var backup = await backups.TakeAsync(database.ConnectionString, version, cancellationToken);
        if (worker.Value.BackupHandover is { } handover)
        {
            BackupHandover.Write(handover, backup.Path);
        }

        LogTaken(backup.Path, backup.Size, backup.Version?.ToString() ?? "none");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Taking a backup into {Directory} before migrating")]
    private partial void LogTaking(string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup taken and verified: {Path} ({Size} bytes, schema version {Version})")]
    private partial void LogTaken(string path, long size, string version);
}
