using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Superset.AppHost.Backup;
using Superset.AppHost.Postgres;
using Superset.AppHost.Workers;
using Superset.Migrations.Settings;

namespace Superset.AppHost.Migrations;

/// <summary>The migration step, and the backup step before it, as the start-up gate sees them.</summary>
internal sealed record MigrationSteps(SupersetPostgres Postgres, PreUpgradeBackup Backup, IResource Migrations, string? SeedDataset);

internal static class MigrationWorkerExtensions
{
    /// <summary>
    /// Adds the migration worker: it applies every pending migration and exits. It waits for the database and for the
    /// backup step to complete (the backup step took the backup, so the worker takes none). Neither step starts a
    /// process when nothing is pending (see <see cref="MigrationStepsGate"/>). Its resource in the dashboard offers the
    /// command line's upgrade, downgrade, backup and status as commands. Null when <c>Migrations:Enabled</c> is false.
    /// </summary>
    public static IResourceBuilder<IResource>? AddMigrationWorker(this IDistributedApplicationBuilder builder, SupersetPostgres postgres, PreUpgradeBackup backup)
    {
        var settings = builder.ReadSettings<MigrationsSettings>(MigrationsSettings.Section);
        if (!settings.Enabled)
        {
            return null;
        }

        var seedDataset = SeedDataset(builder, settings);
        var migrations = builder.AddMigrationWorkerRun("migrations", new MigrationWorkerSetup(postgres, backup, UnknownMigrations(builder, settings), seedDataset));
        if (builder.ExecutionContext.IsRunMode)
        {
            backup.Step?.WithExplicitStart();
            migrations.WithExplicitStart();
            builder.Services.AddSingleton(new MigrationSteps(postgres, backup, migrations.Resource, seedDataset));
            builder.Services.TryAddEventingSubscriber<MigrationStepsGate>();
        }

        return migrations;
    }

    /// <summary>The web app starts only once the worker completed successfully (or, with migrations switched off, once the database is up).</summary>
    public static IResourceBuilder<ProjectResource> WaitForMigrations(
        this IResourceBuilder<ProjectResource> web, SupersetPostgres postgres, IResourceBuilder<IResource>? migrations) =>
        migrations is null ? web.WaitForDatabase(postgres) : web.WaitForCompletion(migrations);

    /// <summary>
    /// What the worker does with migrations this build does not know (a branch switch): <c>Migrations:UnknownMigrations</c>,
    /// by default <c>revert</c> when the AppHost runs in Development (F5 recovers by itself, after a backup), else
    /// <c>refuse</c>. Null when publishing: a deployment's worker refuses, whatever it is told.
    /// </summary>
    private static string? UnknownMigrations(IDistributedApplicationBuilder builder, MigrationsSettings settings) =>
        builder.ExecutionContext.IsPublishMode ? null
        : settings.UnknownMigrations ?? (builder.Environment.IsDevelopment() ? MigrationsSettings.Revert : MigrationsSettings.Refuse);

    /// <summary>
    /// The development seeds the worker adds after the upgrade: <c>Migrations:SeedDataset</c> (<c>default</c> unless set;
    /// <c>none</c> switches them off), when the AppHost runs in Development. Never when publishing: a deployment's manifest
    /// has no seeding, and its worker would refuse outside Development anyway.
    /// </summary>
    private static string? SeedDataset(IDistributedApplicationBuilder builder, MigrationsSettings settings) =>
        builder.ExecutionContext.IsRunMode && builder.Environment.IsDevelopment()
            ? settings.SeedDataset is null ? Superset.Migrations.Seeding.SeedCatalog.DefaultDataset : settings.SeedsAfterUpgrade
            : null;

    private sealed class MigrationWorkerSetup(SupersetPostgres postgres, PreUpgradeBackup backup, string? unknownMigrations, string? seedDataset) : IWorkerRunSetup
    {
        public void Configure<T>(IResourceBuilder<T> worker) where T : class, IResourceWithEnvironment, IResourceWithWaitSupport
        {
            worker.WithReference(postgres.Database)
                .WaitForDatabase(postgres)
                .WithSetting(MigrationsSettings.Keys.Backup, MigrationsSettings.None)
                .WithIconName("ArrowUpload")
                .WithMigrationCommands(postgres, backup)
                .WithDatabaseCommands(postgres, backup);
            if (unknownMigrations is not null)
            {
                worker.WithSetting(MigrationsSettings.Keys.UnknownMigrations, unknownMigrations);
            }

            if (seedDataset is not null)
            {
                worker.WithSetting(MigrationsSettings.Keys.SeedDataset, seedDataset);
            }

            if (worker.ApplicationBuilder.ExecutionContext.IsRunMode && backup.Step is not null)
            {
                // The backup step's folder and handover: a worker that reverts another branch's migrations names the backup it can be undone from.
                worker.WithSetting(BackupSettings.Keys.Directory, backup.Directory)
                    .WithSetting(WorkerSettings.Keys.BackupHandover, backup.Handover);
            }

            if (backup.Step is not null)
            {
                worker.WaitForCompletion(backup.Step);
            }
        }
    }
}
