using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;

namespace Superset.MigrationWorker.Worker;

internal static class MigrationWorkerExtensions
{
    /// <summary>
    /// The database (through Aspire's Npgsql integration: pooling, health check, tracing), the engine, the backups
    /// and the worker for the configured task (<c>Worker:Task</c>: migrate or backup). The <c>Worker</c>,
    /// <c>Migrations</c> and <c>Backup</c> sections are bound and checked when the host starts: a bad value stops it
    /// with one line naming the setting.
    /// </summary>
    public static IHostApplicationBuilder AddMigrationWorker(this IHostApplicationBuilder builder, NpgsqlConnectionStringBuilder connectionString)
    {
        // Read now: it decides which worker runs.
        var task = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.Task ?? WorkerTask.Migrate;

        builder.Services.AddOptions<BackupOptions>()
            .BindConfiguration(BackupOptions.Section)
            .Validate(o => o.Keep >= 1, "Backup:Keep must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddOptions<MigrationsOptions>()
            .BindConfiguration(MigrationsOptions.Section)
            .Validate(o => o.Backup is MigrationsOptions.BeforeUpgrade or MigrationsOptions.None,
                $"Migrations:Backup must be {MigrationsOptions.BeforeUpgrade} or {MigrationsOptions.None}.")
            .Validate(o => o.UnknownMigrations is MigrationsOptions.Refuse or MigrationsOptions.Revert,
                $"Migrations:UnknownMigrations must be {MigrationsOptions.Refuse} or {MigrationsOptions.Revert}.")
            .Validate(o => o.LockTimeout is >= 0 and <= 86_400, "Migrations:LockTimeout must be a number of seconds from 0 (none) to 86400.")
            .Validate(o => o.StartupWait is >= 0 and <= 3_600, "Migrations:StartupWait must be a number of seconds from 0 to 3600.")
            .ValidateOnStart();

        // A named session shows who holds the migration lock to a runner that waits for it.
        var named = new NpgsqlConnectionStringBuilder(connectionString.ConnectionString)
        {
            ApplicationName = connectionString.ApplicationName ?? $"superset-{WorkerName(task).Replace(' ', '-')}",
        };
        builder.AddNpgsqlDataSource(ConnectionResolver.ConnectionName, settings => settings.ConnectionString = named.ConnectionString);
        builder.Services.AddSingleton(services => new WorkerDatabase(named, services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<IOptions<MigrationsOptions>>(), services.GetRequiredService<ILogger<WorkerDatabase>>()));
        builder.Services.AddSingleton(services =>
        {
            var migrations = services.GetRequiredService<IOptions<MigrationsOptions>>().Value;
            var lockTimeout = migrations.LockTimeout;
            return new MigrationEngine(MigrationSource.App.WithFilter(migrations.Filter), new MigrationEngineOptions
            {
                Actor = MigrationEngineOptions.DefaultActor(WorkerName(task)),
                LockTimeout = lockTimeout == 0 ? null : TimeSpan.FromSeconds(lockTimeout),
            });
        });
        builder.Services.AddSingleton(services => new PgDumpBackup(services.GetRequiredService<IOptions<BackupOptions>>().Value.ToSettings()));

        if (task == WorkerTask.Backup)
        {
            builder.Services.AddHostedService<BackupWorker>();
        }
        else
        {
            builder.Services.AddHostedService<MigrationWorker>();
        }

        return builder;
    }

    /// <summary>How history rows, lock reports and pg_stat_activity name this worker.</summary>
    private static string WorkerName(WorkerTask task) => task == WorkerTask.Migrate ? "migration worker" : "backup worker";
}
