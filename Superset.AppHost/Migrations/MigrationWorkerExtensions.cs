using Microsoft.Extensions.Configuration;
using Superset.AppHost.Backup;
using Superset.AppHost.Postgres;
using Superset.AppHost.Workers;

namespace Superset.AppHost.Migrations;

internal static class MigrationWorkerExtensions
{
    /// <summary>
    /// Adds the migration worker: it applies every pending migration and exits. It waits for the database and for the
    /// backup step to complete (the backup step took the backup, so the worker takes none). Neither step starts a
    /// process when nothing is pending (see <see cref="MigrationStepsGate"/>). Its resource in the dashboard offers the
    /// command line's upgrade, downgrade, backup and status as commands. Null when <c>Migrations:Enabled</c> is false.
    /// </summary>
    public static IResourceBuilder<IResource>? AddMigrationWorker(
        this IDistributedApplicationBuilder builder, SupersetPostgres postgres, IResourceBuilder<IResource>? backup)
    {
        if (!builder.Configuration.Flag("Migrations:Enabled", defaultValue: true))
        {
            return null;
        }

        var migrations = builder.AddMigrationWorkerRun("migrations", new MigrationWorkerConfiguration(postgres, backup, BackupConfiguration.For(builder)));
        builder.StartOnlyWhenNeeded(postgres, backup, migrations);
        return migrations;
    }

    /// <summary>The web app starts only once the worker completed successfully (or, with migrations switched off, once the database is up).</summary>
    public static IResourceBuilder<ProjectResource> WaitForMigrations(
        this IResourceBuilder<ProjectResource> web, SupersetPostgres postgres, IResourceBuilder<IResource>? migrations) =>
        migrations is null ? web.WaitForDatabase(postgres) : web.WaitForCompletion(migrations);

    private sealed class MigrationWorkerConfiguration(SupersetPostgres postgres, IResourceBuilder<IResource>? backup, BackupConfiguration backups)
        : IWorkerConfiguration
    {
        public IResourceBuilder<IResource> Apply<T>(IResourceBuilder<T> worker) where T : IResourceWithEnvironment, IResourceWithWaitSupport
        {
            worker.WithReference(postgres.Database)
                .WaitForDatabase(postgres)
                .WithEnvironment("Migrations__Backup", "none")
                .WithIconName("ArrowUpload")
                .WithMigrationCommands(backups);
            if (backup is not null)
            {
                worker.WaitForCompletion(backup);
            }

            return (IResourceBuilder<IResource>)worker;
        }
    }
}
