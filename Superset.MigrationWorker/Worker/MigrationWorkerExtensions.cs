using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

internal static class MigrationWorkerExtensions
{
    /// <summary>
    /// The database (through Aspire's Npgsql integration: pooling, health check, tracing), the engine, the backups
    /// and the worker for the configured task (<c>Worker:Task</c>: migrate or backup).
    /// </summary>
    public static IHostApplicationBuilder AddMigrationWorker(this IHostApplicationBuilder builder, NpgsqlConnectionStringBuilder connectionString)
    {
        var task = ReadTask(builder.Configuration["Worker:Task"]);

        // A named session shows who holds the migration lock to a runner that waits for it.
        var named = new NpgsqlConnectionStringBuilder(connectionString.ConnectionString)
        {
            ApplicationName = connectionString.ApplicationName ?? $"superset-{WorkerName(task).Replace(' ', '-')}",
        };
        builder.AddNpgsqlDataSource(
            Superset.Migrations.Connection.ConnectionResolver.ConnectionName,
            settings => settings.ConnectionString = named.ConnectionString);
        builder.Services.AddSingleton(new WorkerDatabase(named));

        builder.Services.AddSingleton(new MigrationEngine(
            MigrationSource.App,
            new MigrationEngineOptions { Actor = MigrationEngineOptions.DefaultActor(WorkerName(task)) }));

        var backups = new PgDumpBackup(new BackupSettings(
            builder.Configuration["Backup:Directory"] ?? BackupSettings.DefaultDirectory(Directory.GetCurrentDirectory()),
            int.TryParse(builder.Configuration["Backup:Keep"], out var keep) && keep > 0 ? keep : 10,
            builder.Configuration["Backup:BinDirectory"]));

        if (task == WorkerTask.Backup)
        {
            builder.Services.AddSingleton(backups);
            builder.Services.AddHostedService<BackupWorker>();
        }
        else
        {
            // Nothing migrates without a backup unless the configuration says backups are taken elsewhere.
            var backupMode = builder.Configuration["Migrations:Backup"] ?? "before-upgrade";
            builder.Services.AddSingleton(new PreUpgradeBackup(backupMode switch
            {
                "none" => null,
                "before-upgrade" => backups,
                _ => throw new InvalidOperationException($"Migrations:Backup '{backupMode}' is not one of before-upgrade, none."),
            }));
            builder.Services.AddHostedService<MigrationWorker>();
        }

        return builder;
    }

    private static WorkerTask ReadTask(string? value) =>
        string.IsNullOrWhiteSpace(value) ? WorkerTask.Migrate
        : Enum.TryParse<WorkerTask>(value, ignoreCase: true, out var task) ? task
        : throw new InvalidOperationException($"Worker:Task '{value}' is not one of migrate, backup.");

    /// <summary>How history rows, lock reports and pg_stat_activity name this worker.</summary>
    private static string WorkerName(WorkerTask task) => task == WorkerTask.Migrate ? "migration worker" : "backup worker";
}
