using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;
using Superset.Migrations.Seeding;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Worker;

/// <summary>
/// Applies every pending migration, then stops the application. Unless <c>Migrations:Backup</c> is <c>none</c>
/// (backups are taken by the AppHost's backup step, or by the platform), it first takes a backup, under the
/// migration lock and only when something will be applied.
/// </summary>
internal sealed partial class MigrationWorker(
    WorkerDatabase database,
    MigrationEngine engine,
    PgDumpBackup backups,
    IOptions<MigrationsSettings> options,
    IOptions<WorkerSettings> worker,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : RunOnceWorker(environment, lifetime, logger)
{
    protected override string Name => "migration worker";

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        // A branch switch in Development: another branch's migrations are reverted, never in production.
        var revertUnknown = options.Value.RevertsUnknown;
        if (revertUnknown && !Environment.IsDevelopment())
        {
            LogRevertOnlyInDevelopment(Environment.EnvironmentName);
            revertUnknown = false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        string? taken = null;
        BeforeApplying? backupFirst = options.Value.Backup == MigrationsSettings.None ? null : async (lockedConnection, plan, _, token) =>
        {
            if (await DatabaseContents.IsEmptyAsync(lockedConnection, token))
            {
                LogNoBackup(DatabaseContents.NothingToBackUp);
                return;
            }

            var backup = await backups.TakeAsync(database.ConnectionString, plan.Current?.Version, token);
            taken = backup.Path;
            LogBackup(backup.Path, backup.Size);
        };

        var result = await engine.UpgradeAsync(
            connection, new UpgradeRequest(RevertUnknown: revertUnknown, AllowBreakingChanges: options.Value.AllowBreakingChanges),
            new LoggingMigrationObserver(Logger), backupFirst, cancellationToken);
        if (result.Reverted.Count > 0)
        {
            // Taken by this worker, or by the AppHost's backup step just before it, which handed its path over.
            var backup = taken ?? BackupHandover.Read(worker.Value.BackupHandover);
            LogReverted(result.Reverted.Count, string.Join(", ", result.Reverted.Select(r => r.Migration)), backup ?? "none (the database held nothing)");
            Activity.Current?.SetTag(Superset.Migrations.Telemetry.MigrationTelemetry.Attributes.RevertedUnknown,
                string.Join(", ", result.Reverted.Select(r => r.Migration.Version)));
            Activity.Current?.SetTag(Superset.Migrations.Telemetry.MigrationTelemetry.Attributes.BackupFile, backup);
        }

        if (result.Migrations.Count == 0)
        {
            LogNothingPending(result.ToVersion?.ToString() ?? "empty");
        }
        else
        {
            LogApplied(result.Migrations.Count, result.ToVersion?.ToString() ?? "empty");
        }

        await SeedAsync(connection, cancellationToken);
    }

    /// <summary>The development seeds the AppHost asked for, once the database is at head; never outside Development.</summary>
    private async Task SeedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (options.Value.SeedsAfterUpgrade is not { } dataset)
        {
            return;
        }

        if (!Environment.IsDevelopment())
        {
            LogSeedOnlyInDevelopment(dataset, Environment.EnvironmentName);
            return;
        }

        var run = await SeedRunner.RunAsync(connection, SeedCatalog.Of(engine.Source), dataset, engine.Options.Actor, cancellationToken);
        LogSeeded(run.Describe());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Seeded}")]
    private partial void LogSeeded(string seeded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrations:SeedDataset={Dataset} applies in Development only, not in {Environment}: no seed data is added")]
    private partial void LogSeedOnlyInDevelopment(string dataset, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup taken before upgrading: {Path} ({Size} bytes, verified)")]
    private partial void LogBackup(string path, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "No backup before upgrading: {Reason}")]
    private partial void LogNoBackup(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migrations:UnknownMigrations=revert applies in Development only, not in {Environment}: migrations unknown to this build are refused")]
    private partial void LogRevertOnlyInDevelopment(string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reverted {Count} migration(s) from another branch (unknown to this build), from the Down() SQL stored when they ran: {Migrations}; backup: {Backup}")]
    private partial void LogReverted(int count, string migrations, string backup);

    [LoggerMessage(Level = LogLevel.Information, Message = "No pending migrations; the database is at version {Version}")]
    private partial void LogNothingPending(string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s); the database is at version {Version}")]
    private partial void LogApplied(int count, string version);
}
