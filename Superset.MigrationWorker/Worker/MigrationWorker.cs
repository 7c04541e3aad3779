using Microsoft.Extensions.Options;
using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// Applies every pending migration, then stops the application. Unless <c>Migrations:Backup</c> is <c>none</c>
/// (backups are taken by the AppHost's backup step, or by the platform), it first takes a backup, under the
/// migration lock and only when something will be applied.
/// </summary>
internal sealed partial class MigrationWorker(
    NpgsqlDataSource dataSource,
    WorkerDatabase database,
    MigrationEngine engine,
    PgDumpBackup backups,
    IOptions<MigrationsOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : RunOnceWorker(environment, lifetime, logger)
{
    protected override string Name => "migration worker";

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        BeforeApplying? backupFirst = options.Value.Backup == MigrationsOptions.None ? null : async (lockedConnection, plan, _, token) =>
        {
            if (await DatabaseContents.IsEmptyAsync(lockedConnection, token))
            {
                LogNoBackup(DatabaseContents.NothingToBackUp);
                return;
            }

            var backup = await backups.TakeAsync(database.ConnectionString, plan.Current?.Version, token);
            LogBackup(backup.Path, backup.Size);
        };

        var result = await engine.UpgradeAsync(connection, new UpgradeRequest(), new LoggingMigrationObserver(Logger), backupFirst, cancellationToken);
        if (result.Migrations.Count == 0)
        {
            LogNothingPending(result.ToVersion?.ToString() ?? "empty");
        }
        else
        {
            LogApplied(result.Migrations.Count, result.ToVersion?.ToString() ?? "empty");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup taken before upgrading: {Path} ({Size} bytes, verified)")]
    private partial void LogBackup(string path, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "No backup before upgrading: {Reason}")]
    private partial void LogNoBackup(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No pending migrations; the database is at version {Version}")]
    private partial void LogNothingPending(string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s); the database is at version {Version}")]
    private partial void LogApplied(int count, string version);
}
