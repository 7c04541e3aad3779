using Microsoft.Extensions.Options;
using Npgsql;
using Superset.Migrations.Backup;
using Superset.Migrations.Connection;
using Superset.Migrations.Engine;
using Superset.Migrations.Settings;

namespace Superset.MigrationWorker.Worker;

internal static class WorkerServicesExtensions
{
    /// <summary>
    /// The worker's services: the database (through Aspire's Npgsql integration: pooling, health check, tracing), the
    /// engine, the backups and the run-once worker for <c>Worker:Task</c> (migrate, or the AppHost's backup step). The
    /// <c>Worker</c>, <c>Migrations</c> and <c>Backup</c> sections are bound as options and checked when the host starts,
    /// by the same types and rules the AppHost and the command line read them with: a bad value stops it with one line.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder, NpgsqlConnectionStringBuilder connectionString)
    {
        // Read now: it decides which worker runs.
        var task = SettingsReader.Read<WorkerSettings>(builder.Configuration, WorkerSettings.Section).Task;
        builder.AddSettings<WorkerSettings>(WorkerSettings.Section);
        builder.AddSettings<MigrationsSettings>(MigrationsSettings.Section);
        builder.AddSettings<BackupSettings>(BackupSettings.Section);

        // A named session shows who holds the migration lock to a runner that waits for it.
        var named = new NpgsqlConnectionStringBuilder(connectionString.ConnectionString)
        {
            ApplicationName = connectionString.ApplicationName ?? $"superset-{WorkerName(task).Replace(' ', '-')}",
        };
        builder.AddNpgsqlDataSource(ConnectionResolver.ConnectionName, settings => settings.ConnectionString = named.ConnectionString);
        builder.Services.AddSingleton(services => new WorkerDatabase(named, services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<IOptions<MigrationsSettings>>(), services.GetRequiredService<ILogger<WorkerDatabase>>()));
        builder.Services.AddSingleton(services =>
        {
            var migrations = services.GetRequiredService<IOptions<MigrationsSettings>>().Value;
            return new MigrationEngine(MigrationSource.App.WithFilter(migrations.Filter), new MigrationEngineOptions
            {
                Actor = MigrationEngineOptions.DefaultActor(WorkerName(task)),
                LockTimeout = migrations.LockTimeoutOrNone,
                LockRetryBudget = migrations.LockRetryBudgetTime,
            });
        });
        builder.Services.AddSingleton(services =>
            new PgDumpBackup(services.GetRequiredService<IOptions<BackupSettings>>().Value.Location(Directory.GetCurrentDirectory())));

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

    /// <summary>A settings section bound as options (eShop's way) and checked when the host starts, by the section type's own rules.</summary>
    private static void AddSettings<T>(this IHostApplicationBuilder builder, string section) where T : class, IValidatedSettings
    {
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<T>, SettingsValidation<T>>();
    }

    /// <summary>How history rows, lock reports and pg_stat_activity name this worker.</summary>
    private static string WorkerName(WorkerTask task) => task == WorkerTask.Migrate ? "migration worker" : "backup worker";

    private sealed class SettingsValidation<T> : IValidateOptions<T> where T : class, IValidatedSettings
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options.Errors().ToArray() is { Length: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
