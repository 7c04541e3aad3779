using Microsoft.Extensions.Hosting;
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

        var migrations = builder.AddMigrationWorkerRun("migrations",
            new MigrationWorkerConfiguration(postgres, backup, BackupConfiguration.For(builder), UnknownMigrations(builder)));
        builder.StartOnlyWhenNeeded(postgres, backup, migrations);
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
    private static string? UnknownMigrations(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return null;
        }

        return builder.Configuration["Migrations:UnknownMigrations"] switch
        {
            null or "" => builder.Environment.IsDevelopment() ? "revert" : "refuse",
            var value when value is "revert" or "refuse" => value,
            var value => throw new DistributedApplicationException($"Migrations:UnknownMigrations '{value}' is not revert or refuse."),
        };
    }

    private sealed class MigrationWorkerConfiguration(
        SupersetPostgres postgres, IResourceBuilder<IResource>? backup, BackupConfiguration backups, string? unknownMigrations)
        : IWorkerConfiguration
    {
        public IResourceBuilder<IResource> Apply<T>(IResourceBuilder<T> worker) where T : IResourceWithEnvironment, IResourceWithWaitSupport
        {
            worker.WithReference(postgres.Database)
                .WaitForDatabase(postgres)
                .WithEnvironment("Migrations__Backup", "none")
                .WithIconName("ArrowUpload")
                .WithMigrationCommands(backups);
            if (unknownMigrations is not null)
            {
                worker.WithEnvironment("Migrations__UnknownMigrations", unknownMigrations);
            }

            // The backup step's folder: a worker that reverts another branch's migrations names the backup it can be undone from.
            if (backups.Enabled && worker.ApplicationBuilder.ExecutionContext.IsRunMode)
            {
                worker.WithEnvironment("Backup__Directory", backups.Directory);
            }
            if (backup is not null)
            {
                worker.WaitForCompletion(backup);
            }

            return (IResourceBuilder<IResource>)worker;
        }
    }
}
